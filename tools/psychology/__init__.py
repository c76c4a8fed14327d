"""Tools of the psychology desk: argument models, pure calculations, LangChain wrappers."""
