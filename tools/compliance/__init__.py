"""Tools of the compliance desk: argument models, pure calculations, LangChain wrappers."""
