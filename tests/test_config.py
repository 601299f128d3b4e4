"""config: defaults, validation, the ``[tool.dedup]`` loader, and the fingerprint."""

from __future__ import annotations

import dataclasses
from importlib.metadata import version
from pathlib import Path

import pytest

from dedup import Config, ConfigError, DedupError
from dedup.config import HASH_SCHEME, config_from_mapping, find_config_file, load_config


def test_defaults_are_valid_and_frozen() -> None:
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.num_perm = 64  # type: ignore[misc]


def test_config_error_is_a_dedup_error() -> None:
    assert issubclass(ConfigError, DedupError)


def test_mapping_accepts_dashes_and_underscores() -> None:
    config = config_from_mapping({"shingle-size": 4, "min_chars": 10}, "dedup.toml")
    assert config.shingle_size == 4
    assert config.min_chars == 10


def test_mapping_starts_from_a_base() -> None:
    base = Config(num_perm=64)
    assert config_from_mapping({"seed": 3}, "x", base).num_perm == 64


def test_unknown_key_error_names_the_key_and_the_source() -> None:
    with pytest.raises(ConfigError) as err:
        config_from_mapping({"shingle_size": 3, "treshold": 0.5}, "pyproject.toml")
    assert "treshold" in str(err.value)
    assert "pyproject.toml" in str(err.value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("num_perm", "128"),
        ("num_perm", 128.0),
        ("num_perm", True),
        ("near_threshold", "0.8"),
        ("near_threshold", True),
        ("keep", 1),
        ("join_broken", "yes"),
        ("join_broken", 1),
    ],
)
def test_type_errors_name_the_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError) as err:
        config_from_mapping({key: value}, "dedup.toml")
    assert key in str(err.value)


def test_integers_are_accepted_for_floats() -> None:
    config = config_from_mapping({"near_threshold": 1}, "dedup.toml")
    assert config.near_threshold == 1.0
    assert isinstance(config.near_threshold, float)


@pytest.mark.parametrize(
    "changes",
    [
        {"shingle_size": 0},
        {"num_perm": 8},
        {"num_perm": 4096},
        {"lsh_threshold": 0.0},
        {"near_threshold": 1.5},
        {"cover_threshold": -0.1},
        {"min_chars": 0},
        {"max_gap": -1},
        {"keep": "last"},
        {"duplicate_articles": "delete"},
        {"scope": "paragraph"},
        {"segmenter": "pkuseg"},
    ],
)
def test_out_of_range_values_are_config_errors(changes: dict[str, object]) -> None:
    (key,) = changes
    with pytest.raises(ConfigError) as err:
        Config(**changes)  # type: ignore[arg-type]
    assert key in str(err.value)
    with pytest.raises(ConfigError) as err:
        config_from_mapping(changes, "dedup.toml")
    assert key in str(err.value)
    assert "dedup.toml" in str(err.value)


def test_replace_ignores_none() -> None:
    config = Config().replace(num_perm=64, seed=None)
    assert config.num_perm == 64
    assert config.seed == Config().seed


def test_as_dict_has_every_setting() -> None:
    assert set(Config().as_dict()) == {f.name for f in dataclasses.fields(Config)}


def test_fingerprint_names_datasketch_version_and_hash_scheme() -> None:
    fingerprint = Config().fingerprint()
    assert fingerprint["datasketch"] == version("datasketch")
    assert fingerprint["hash_scheme"] == HASH_SCHEME
    assert fingerprint["segmenter"].startswith(("jieba-", "rjieba-"))
    assert fingerprint["segmenter"].endswith("-hmm-off")
    assert all(isinstance(v, str) for v in fingerprint.values())


def test_fingerprint_follows_the_settings() -> None:
    assert Config().fingerprint() == Config().fingerprint()
    assert Config().fingerprint()["settings"] != Config(num_perm=64).fingerprint()["settings"]
    assert Config().fingerprint()["settings"] != Config(shingle_size=2).fingerprint()["settings"]


def test_load_dedup_toml(tmp_path: Path) -> None:
    path = tmp_path / "dedup.toml"
    path.write_text("shingle-size = 2\nkeep = 'first'\n", encoding="utf-8")
    config, found = load_config(path)
    assert found == path
    assert config.shingle_size == 2
    assert config.keep == "first"


def test_load_pyproject_tool_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname = 'x'\n\n[tool.dedup]\nnum_perm = 64\n", encoding="utf-8")
    config, found = load_config(path)
    assert found == path
    assert config.num_perm == 64


def test_nearest_config_file_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.dedup]\nseed = 5\n", encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    config, found = load_config(start=sub)
    assert found == tmp_path / "pyproject.toml"
    assert config.seed == 5


def test_dedup_toml_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.dedup]\nseed = 5\n", encoding="utf-8")
    (tmp_path / "dedup.toml").write_text("seed = 6\n", encoding="utf-8")
    assert find_config_file(tmp_path) == tmp_path / "dedup.toml"


def test_pyproject_without_tool_dedup_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.dedup]\nseed = 5\n", encoding="utf-8")
    sub = tmp_path / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[project]\nname = 'pkg'\n", encoding="utf-8")
    assert find_config_file(sub) == tmp_path / "pyproject.toml"


def test_no_config_file_gives_defaults(tmp_path: Path) -> None:
    config, found = load_config(start=tmp_path)
    if found is not None:
        pytest.skip(f"a config file above the temporary directory: {found}")
    assert config == Config()


def test_unknown_key_in_a_file_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "dedup.toml"
    path.write_text("shingle_size = 3\nnum_perms = 64\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "num_perms" in str(err.value)
    assert str(path) in str(err.value)


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "dedup.toml"
    path.write_text("shingle_size = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_tool_dedup_must_be_a_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool]\ndedup = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)
