"""The content server: stores what screens show and serves each screen its manifest."""
