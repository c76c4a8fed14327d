"""Tools of the psychology desk: argument models, pure calculations, LangChain wrappers."""

__all__ = ["answers", "args", "baseline", "calc", "discipline", "feelings", "results", "skill_tools", "thresholds",
           "tilt", "tools"]
