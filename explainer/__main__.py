"""python -m explainer / explainer: open the app."""
import sys


def main(argv: list[str] | None = None) -> int:
    from .app import run
    return run(sys.argv if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
