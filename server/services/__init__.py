"""The server's logic without HTTP: keyword-only functions over a session, raising domain errors."""
