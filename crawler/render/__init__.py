"""Browser mode: render pages in an installed Chromium and read the same `PageFacts` from the DOM."""
