"""Tools of the trade_journal desk: argument models, pure calculations, LangChain wrappers."""

__all__ = ["args", "calc", "tools"]
