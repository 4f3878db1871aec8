"""Load a profile from a file or the bundled default, and apply command-line overrides; I/O (reads files)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from crawler.config import Profile, SiteConfig, bundled_profile_text, format_errors, parse_profile
from crawler.errors import ConfigError


def load_profile(path: str | None) -> Profile:
    """The profile at `path`, or the bundled chaoqiankeji.com profile when None."""
    if path is None:
        return parse_profile(bundled_profile_text(), "bundled profile")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the profile ({exc.strerror}); check the path"]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{path}: not UTF-8 text ({exc.reason}); save the profile as UTF-8"]) from exc
    return parse_profile(text, path)


def with_overrides(
    profile: Profile,
    *,
    start_urls: tuple[str, ...] = (),
    max_pages: int | None = None,
    max_depth: int | None = None,
) -> Profile:
    """Apply --start-url (replaces the start URLs; their origins join the scope as start URLs do),
    --max-pages and --max-depth."""
    site = profile.site
    if start_urls:
        try:
            site = SiteConfig.model_validate(
                {"name": site.name, "start_urls": list(start_urls), "allowed_hosts": site.allowed_hosts}
            )
        except ValidationError as exc:
            raise ConfigError(
                [line.replace("start_urls", "--start-url", 1) for line in format_errors(exc)]
            ) from exc
    crawl = profile.crawl.model_copy(
        update={k: v for k, v in (("max_pages", max_pages), ("max_depth", max_depth)) if v is not None}
    )
    return profile.model_copy(update={"site": site, "crawl": crawl})


def read_url_list(path: str) -> tuple[str, ...]:
    """The URLs of a --url-list file: one per line, blank lines and # comments ignored."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError([f"--url-list {path}: cannot read it ({exc.strerror}); check the path"]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([f"--url-list {path}: not UTF-8 text ({exc.reason}); save it as UTF-8"]) from exc
    urls = tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
    if not urls:
        raise ConfigError([f"--url-list {path}: no URL in it (write one URL per line)"])
    return urls


def profile_paths(configs: tuple[str, ...]) -> list[str]:
    """The profile files named: a folder stands for the *.toml files in it, in name order."""
    paths: list[str] = []
    for config in configs:
        folder = Path(config)
        if folder.is_dir():
            found = sorted(str(p) for p in folder.glob("*.toml"))
            if not found:
                raise ConfigError([f"--config {config}: no *.toml profile in this folder"])
            paths.extend(found)
        else:
            paths.append(config)
    return paths
