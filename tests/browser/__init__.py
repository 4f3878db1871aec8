"""Browser tests: reports rendered in headless Debian Chromium (a package, so the browser fixture is package-scoped)."""
