"""The base of the stepped lessons' tabs (1–2): the tab, its controller and its batch thread."""
