"""Tabs 3-4's training process seen from the window: `process.TrainingProcess` (the handle),
`controller.TrainingController` (the base of both tabs' controllers) and `state_exchange`."""
