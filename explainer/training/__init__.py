"""What runs in a tab's training process: the services of tabs 3 and 4 and the loop that serves
them. No Qt here (an import-linter contract in pyproject.toml forbids it): the spawned child imports
this package and the core, never PySide6. The window's side is `explainer.ui.training`."""
