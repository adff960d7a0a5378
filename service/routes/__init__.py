"""HTTP routes: validate, call the store and the matching core, map to a response schema."""
