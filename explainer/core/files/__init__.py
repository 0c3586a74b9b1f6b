"""File formats and their checks: sessions, weights, random generator states, records as JSON,
walkthrough lessons and their checkpoints, the glossary, and export as code."""
