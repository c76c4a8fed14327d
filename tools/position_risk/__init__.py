"""Tools of the position_risk desk: argument models, pure calculations, LangChain wrappers."""

__all__ = ["args", "calc", "tools", "var"]
