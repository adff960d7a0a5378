"""The web service: the only package that knows FastAPI, SQLModel, HTTP, settings and auth."""
