"""Tools of the compliance desk: argument models, pure calculations, LangChain wrappers."""

__all__ = ["args", "calc", "risk_checks", "tools"]
