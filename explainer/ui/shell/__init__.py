"""The window around the lessons: tabs, menus, keys, zoom, presentation, sessions and exports."""
