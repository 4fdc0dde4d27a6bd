"""The HTTP API: thin routers over `server.services`, grouped by audience."""
