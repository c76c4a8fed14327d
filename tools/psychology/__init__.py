"""Tools of the psychology desk: argument models, pure calculations, LangChain wrappers."""

__all__ = ["args", "calc", "thresholds", "tools"]
