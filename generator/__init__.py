"""avm: create Azure Verified Modules (Bicep and Terraform)."""

__version__ = "0.6.0"


def _quiet_interrupts() -> None:
    """Ctrl-C while the `avm` command starts or exits, where `cli.main` cannot catch it: one line and exit 130
    (`generator.scratch.interrupted_hook`, imported only then: starting stays fast)."""
    import sys

    previous = sys.excepthook

    def hook(kind, value, traceback):  # type: ignore[no-untyped-def]
        if issubclass(kind, KeyboardInterrupt) or isinstance(value.__cause__ or value.__context__, KeyboardInterrupt):
            from generator.scratch import interrupted_hook

            interrupted_hook()  # ends the process when it is the avm command
        previous(kind, value, traceback)

    sys.excepthook = hook


_quiet_interrupts()
