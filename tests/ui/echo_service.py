"""A training-process stand-in for tests of `ProcessWorker` (no Qt: the child imports it)."""


class EchoService:
    """big(n): send n bytes back; take(payload): say how many bytes arrived."""

    def __init__(self, emit) -> None:
        self.emit = emit

    def big(self, n: int) -> None:
        self.emit("big", b"x" * n)

    def take(self, payload: bytes) -> None:
        self.emit("took", len(payload))

    def pending(self) -> bool:
        return False

    def work(self) -> None:
        pass
