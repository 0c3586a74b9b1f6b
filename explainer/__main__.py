"""python -m explainer / explainer: open the app.  `explainer export …`: figures without a display."""
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    if len(argv) > 1 and argv[1] == "export":
        from .cli import export_main
        return export_main(argv[2:])
    from .app import run
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
