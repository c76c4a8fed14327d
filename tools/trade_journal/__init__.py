"""Tools of the trade_journal desk: argument models, pure calculations, LangChain wrappers."""

__all__ = ["answers", "args", "calc", "record_tools", "records", "results", "shorthand", "tools"]
