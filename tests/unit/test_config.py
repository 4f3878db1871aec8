"""Profile validation (crawler/config.py, crawler/profiles.py): defaults, errors as `field.path: problem (hint)`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.config import parse_profile
from crawler.errors import ConfigError
from crawler.profiles import load_profile, profile_paths, with_overrides

MINIMAL = """
[site]
name = "x"
start_urls = ["https://example.com/"]
[licence]
number = "陕B2-20210271"
holder = "某公司"
valid_until = 2026-08-30
"""


def _errors(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_profile(text, "test.toml")
    return caught.value.lines


def test_bundled_profile_has_the_seed_facts() -> None:
    profile = load_profile(None)
    assert profile.licence.number == "陕B2-20210271"
    assert profile.licence.holder == "西安朝前智能科技有限公司"
    assert profile.licence.valid_until == date(2026, 8, 30)
    assert profile.licence.issued == date(2021, 8, 30)
    assert profile.licence.excluded_services == ["信息搜索查询服务", "信息即时交互服务"]
    assert profile.site.start_urls == ["https://chaoqiankeji.com/", "https://www.chaoqiankeji.com/"]
    assert (profile.schedule.cron, profile.schedule.timezone) == ("30 2 * * *", "Asia/Shanghai")
    assert profile.rules.inner_pages == "error"


def test_example_profile_loads() -> None:
    example = Path(__file__).parents[2] / "icp-audit.example.toml"
    assert load_profile(str(example)).licence.number == "陕B2-20210271"


def test_defaults_live_in_the_model() -> None:
    profile = parse_profile(MINIMAL, "t")
    assert profile.crawl.max_pages == 500
    assert profile.crawl.respect_robots is True
    assert profile.crawl.judge_processes == "auto"
    assert profile.crawl.judge_timeout == 10.0
    assert profile.site.hosts == frozenset({"example.com"})


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ("[crawl]\nconcurrency = 0\n", "crawl.concurrency"),
        ("[crawl]\nspeed = 1\n", "crawl.speed"),
        ("[crawl]\njudge_processes = -1\n", "crawl.judge_processes"),
        ("[crawl]\njudge_timeout = 0\n", "crawl.judge_timeout"),
        ('[crawl]\njudge_processes = "many"\n', "crawl.judge_processes"),
        ('[crawl]\nexclude = ["(unclosed"]\n', "crawl.exclude"),
        ('[schedule]\ntimezone = "Mars/Olympus"\n', "schedule.timezone"),
        ('[schedule]\ncron = "every night"\n', "schedule.cron"),
        ('[schedule]\ncron = "0 0 30 2 * * *"\n', "schedule.cron"),
        ('[rules.severity]\n"LIC-999" = "info"\n', "rules"),
        ('[rules]\ninner_pages = "fatal"\n', "rules.inner_pages"),
        ('[filings]\nicp = "陕ICP备"\n', "filings.icp"),
        ('[filings]\npublic_security = "陕公网安备123"\n', "filings.public_security"),
    ],
)
def test_each_error_names_its_field(extra: str, path: str) -> None:
    lines = _errors(MINIMAL + extra)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: ")
    assert "(" in lines[0]  # every line carries a hint


@pytest.mark.parametrize("entry", ["example.com/shop", "example.com:99999", "ftp://example.com", "a b"])
def test_a_bad_allowed_host_is_one_line_naming_it_and_the_fix(entry: str) -> None:
    lines = _errors(MINIMAL.replace("[licence]", f'allowed_hosts = ["{entry}"]\n[licence]'))
    assert len(lines) == 1
    assert lines[0].startswith(f"site.allowed_hosts: {entry!r} is not ")
    assert "write it like" in lines[0]


def test_allowed_hosts_and_start_urls_give_the_scope_in_one_host_form() -> None:
    text = MINIMAL.replace(
        "[licence]", 'allowed_hosts = ["例子.测试", "Example.com:8443", "https://cdn.example.com"]\n[licence]'
    )
    scope = parse_profile(text, "t").site.scope
    assert scope.origins == {
        "http://example.com",  # the start URL https://example.com/ stands for its host
        "https://example.com",
        "http://example.com:8443",
        "https://example.com:8443",
        "http://xn--fsqu00a.xn--0zwm56d",
        "https://xn--fsqu00a.xn--0zwm56d",
        "https://cdn.example.com",
    }


def test_bad_licence_number() -> None:
    (line,) = _errors(MINIMAL.replace('"陕B2-20210271"', '"ABC"'))
    assert line.startswith("licence.number: 'ABC' is not a licence number")


def test_dates_out_of_order() -> None:
    (line,) = _errors(
        MINIMAL.replace("valid_until = 2026-08-30", "valid_until = 2026-08-30\nissued = 2027-01-01")
    )
    assert line.startswith("licence: valid_until must be after issued")


def test_missing_section_and_toml_syntax() -> None:
    assert _errors('[site]\nname = "x"\nstart_urls = ["https://e.com/"]\n') == [
        "licence: Field required (add this key)"
    ]
    (line,) = _errors("[site\n")
    assert line.startswith("test.toml: not valid TOML")


def test_unreadable_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the profile"):
        load_profile(str(tmp_path / "missing.toml"))


def test_start_url_override_replaces_starts_and_adds_host() -> None:
    profile = with_overrides(load_profile(None), start_urls=("http://127.0.0.1:8123/",), max_depth=0)
    assert profile.site.start_urls == ["http://127.0.0.1:8123/"]
    assert "127.0.0.1" in profile.site.hosts
    assert "http://127.0.0.1:8123" in profile.site.scope.origins
    assert "http://127.0.0.1" not in profile.site.scope.origins  # the start host's other ports stay out
    assert profile.crawl.max_depth == 0
    with pytest.raises(ConfigError) as caught:
        with_overrides(profile, start_urls=("not a url",))
    assert caught.value.lines[0].startswith("--start-url")


def test_expected_filings_are_accepted_in_their_usual_forms() -> None:
    profile = parse_profile(
        MINIMAL
        + '[filings]\nicp = "陕ICP备2021012345号-1"\npublic_security = "陕公网安备 61019002000123号"\n',
        "t",
    )
    assert profile.filings.icp == "陕ICP备2021012345号-1"
    assert (
        parse_profile(MINIMAL + '[filings]\nicp = "浙B2-20080101-4"\n', "t").filings.icp == "浙B2-20080101-4"
    )


def test_a_folder_of_profiles_stands_for_its_toml_files(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text(MINIMAL, "utf-8")
    (tmp_path / "a.toml").write_text(MINIMAL, "utf-8")
    (tmp_path / "notes.txt").write_text("not a profile", "utf-8")
    assert profile_paths((str(tmp_path), "x.toml")) == [
        str(tmp_path / "a.toml"),
        str(tmp_path / "b.toml"),
        "x.toml",
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match=r"no \*\.toml profile"):
        profile_paths((str(empty),))


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("3", 3), ('"auto"', "auto")])
def test_judge_processes_is_a_count_or_auto(value: str, expected: int | str) -> None:
    profile = parse_profile(MINIMAL + f"[crawl]\njudge_processes = {value}\n", "t")
    assert profile.crawl.judge_processes == expected
