"""python -m explainer / explainer: open the app.  `explainer export …`: figures without a display.
`explainer pretrain`: train the RLHF lesson's base model again (stage 0).
`explainer gallery …`: screenshots of every tab and phase at projector sizes, presenting or not.
"""
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    if len(argv) > 1 and argv[1] == "export":
        from .cli import export_main
        return export_main(argv[2:])
    if len(argv) > 1 and argv[1] == "gallery":
        from .gallery import gallery_main
        return gallery_main(argv[2:])
    if len(argv) > 1 and argv[1] == "pretrain":
        from .core.language.pretraining import main as pretrain_main
        return pretrain_main(argv[2:])
    from .app import run
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
