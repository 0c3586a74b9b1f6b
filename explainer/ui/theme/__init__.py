"""The look: the palette every panel draws with, and the light, dark and high-contrast themes."""
