"""Settings: environment over .env, defaults, and refusals that name the variable."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from bot.runtime.settings import (
    EXAMPLES,
    SECRETS,
    SLACK_API_DEFAULT,
    Settings,
    SettingsError,
    load_settings,
)
from models.db import DATABASE_DEFAULT

# Shaped like Slack's credentials (made up), assembled at run time so none sits in the tree.
BOT_TOKEN = "-".join(("xoxb", "1111", "2222", "SeCrEtBoT"))
APP_TOKEN = "-".join(("xapp", "1", "A111", "3333", "SeCrEtApP"))
SIGNING = "5ec7e7" * 5 + "ab"


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text(
        "\n".join(
            [
                f"SLACK_BOT_TOKEN={BOT_TOKEN}",
                f"SLACK_SIGNING_SECRET={SIGNING}",
                "PORT=4000",
                "LEADCELL_ADMINS=U012AB3CD, W045EF6GH",
                'DATABASE_URL="postgresql://leadcell@db:5432/leadcell"',
                "# a comment",
                "LOG_LEVEL=debug",
            ]
        )
        + "\n"
    )
    return path


def _error(environ: dict[str, str], env_file=None) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(environ=environ, env_file=env_file)
    return str(caught.value)


def test_reads_the_env_file(env_file):
    settings = load_settings(environ={}, env_file=env_file)
    assert settings.slack_bot_token == BOT_TOKEN
    assert settings.slack_signing_secret == SIGNING
    assert settings.port == 4000
    assert settings.admins == frozenset({"U012AB3CD", "W045EF6GH"})
    assert settings.database_url == "postgresql://leadcell@db:5432/leadcell"
    assert settings.log_level == "DEBUG"


def test_environment_wins_over_env_file(env_file):
    settings = load_settings(
        environ={"PORT": "5000", "SLACK_BOT_TOKEN": BOT_TOKEN + "env", "LOG_LEVEL": "WARNING"},
        env_file=env_file,
    )
    assert settings.port == 5000
    assert settings.slack_bot_token == BOT_TOKEN + "env"
    assert settings.log_level == "WARNING"
    assert settings.slack_signing_secret == SIGNING  # only in .env


def test_defaults_without_any_setting(tmp_path):
    settings = load_settings(environ={}, env_file=tmp_path / "absent.env")
    assert settings == Settings()
    assert settings.slack_bot_token is None
    assert settings.slack_signing_secret is None
    assert settings.slack_app_token is None
    assert settings.slack_api_url == SLACK_API_DEFAULT == "https://slack.com/api/"
    assert settings.database_url == DATABASE_DEFAULT == "sqlite:///leadcell.db"
    assert settings.admins == frozenset()
    assert (settings.port, settings.web_concurrency, settings.web_threads) == (3000, 2, 4)
    assert settings.log_level == "INFO"


def test_env_file_none_reads_only_the_environment(env_file, monkeypatch):
    monkeypatch.chdir(env_file.parent)  # a .env in the working directory is ignored too
    settings = load_settings(environ={}, env_file=None)
    assert settings.slack_bot_token is None
    assert settings.port == 3000


def test_blank_values_count_as_unset():
    settings = load_settings(environ={"SLACK_BOT_TOKEN": "  ", "PORT": ""}, env_file=None)
    assert settings.slack_bot_token is None
    assert settings.port == 3000


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8765/api", "http://127.0.0.1:8765/api/"),
        ("http://127.0.0.1:8765/api/", "http://127.0.0.1:8765/api/"),
        ("https://slack.com/api", "https://slack.com/api/"),
    ],
)
def test_slack_api_url_gets_a_trailing_slash(given, expected):
    assert load_settings(environ={"SLACK_API_URL": given}, env_file=None).slack_api_url == expected


def test_slack_api_url_must_be_http():
    message = _error({"SLACK_API_URL": "ftp://slack.com/api/"})
    assert "SLACK_API_URL" in message
    assert f"SLACK_API_URL={EXAMPLES['SLACK_API_URL']}" in message


def test_bad_admin_entry_is_named():
    message = _error({"LEADCELL_ADMINS": "U012AB3CD,marc"})
    assert "LEADCELL_ADMINS" in message
    assert message.startswith("LEADCELL_ADMINS holds marc, which are not Slack user ids")
    assert f"LEADCELL_ADMINS={EXAMPLES['LEADCELL_ADMINS']}" in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "abc"),
        ("PORT", "0"),
        ("PORT", "65536"),
        ("PORT", "-1"),
        ("WEB_CONCURRENCY", "many"),
        ("WEB_THREADS", "0"),
    ],
)
def test_bad_numbers_are_named_with_the_example(name, value):
    message = _error({name: value})
    assert message.startswith(f"{name}={value!r} is not a whole number")
    assert f"{name}={EXAMPLES[name]}" in message


def test_port_bounds_are_inclusive():
    assert load_settings(environ={"PORT": "1"}, env_file=None).port == 1
    assert load_settings(environ={"PORT": "65535"}, env_file=None).port == 65535


def test_bad_log_level_is_named():
    message = _error({"LOG_LEVEL": "LOUD"})
    assert "LOG_LEVEL='LOUD'" in message
    assert "DEBUG, INFO, WARNING, ERROR" in message
    assert "LOG_LEVEL=INFO" in message


@pytest.mark.parametrize(
    ("name", "value", "prefix"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-9999-8888-UsErSeCrEt", "xoxb-"),
        ("SLACK_BOT_TOKEN", APP_TOKEN, "xoxb-"),
        ("SLACK_APP_TOKEN", BOT_TOKEN, "xapp-"),
    ],
)
def test_wrong_kind_of_token_is_named_without_echoing_it(name, value, prefix):
    message = _error({name: value})
    assert message.startswith(f"{name} should start with {prefix!r}")
    assert f"a real one looks like {EXAMPLES[name]}" in message
    assert value not in message
    assert value.rsplit("-", 1)[-1] not in message


def test_token_from_env_file_is_not_echoed_either(tmp_path):
    path = tmp_path / ".env"
    path.write_text("SLACK_BOT_TOKEN=xoxa-2-PrIvAtE\n")
    message = _error({}, env_file=path)
    assert "SLACK_BOT_TOKEN" in message
    assert "PrIvAtE" not in message


def test_database_url_must_be_sqlite_or_postgresql():
    message = _error({"DATABASE_URL": "mysql://root:hunter2@db/leadcell"})
    assert "DATABASE_URL" in message
    assert f"DATABASE_URL={EXAMPLES['DATABASE_URL']}" in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    "url", ["sqlite:////tmp/x.db", "postgresql://a@b/c", "postgresql+psycopg://a@b/c"]
)
def test_database_url_accepted_forms(url):
    assert load_settings(environ={"DATABASE_URL": url}, env_file=None).database_url == url


def test_every_problem_is_reported_at_once():
    message = _error({"PORT": "abc", "LOG_LEVEL": "LOUD", "LEADCELL_ADMINS": "nobody"})
    lines = message.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("LEADCELL_ADMINS holds nobody,")
    assert lines[1].startswith("LOG_LEVEL='LOUD' is not one of")
    assert lines[2].startswith("PORT='abc' is not a whole number")


def test_require_lists_each_missing_variable_with_its_example():
    settings = Settings(slack_bot_token=BOT_TOKEN)
    settings.require("SLACK_BOT_TOKEN")  # present: no error
    with pytest.raises(SettingsError) as caught:
        settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")
    assert str(caught.value).splitlines() == [
        "SLACK_SIGNING_SECRET is missing: set it in the environment or in .env, "
        f"for example SLACK_SIGNING_SECRET={EXAMPLES['SLACK_SIGNING_SECRET']}",
        "SLACK_APP_TOKEN is missing: set it in the environment or in .env, "
        f"for example SLACK_APP_TOKEN={EXAMPLES['SLACK_APP_TOKEN']}",
    ]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_require_knows_every_documented_variable(name):
    # Each variable is either set by default or reported missing: never an AttributeError.
    try:
        Settings().require(name)
    except SettingsError as error:
        assert str(error).startswith(f"{name} is missing: ")
        assert f"{name}={EXAMPLES[name]}" in str(error)


def test_require_reports_missing_admins():
    with pytest.raises(SettingsError, match="LEADCELL_ADMINS is missing"):
        Settings().require("LEADCELL_ADMINS")
    Settings(admins=frozenset({"U012AB3CD"})).require("LEADCELL_ADMINS")


def test_repr_hides_tokens_and_signing_secret(env_file):
    settings = load_settings(environ={"SLACK_APP_TOKEN": APP_TOKEN}, env_file=env_file)
    assert settings.slack_app_token == APP_TOKEN
    for shown in (repr(settings), str(settings)):
        assert "SeCrEt" not in shown
        assert BOT_TOKEN not in shown
        assert APP_TOKEN not in shown
        assert SIGNING not in shown
        assert "port=4000" in shown


def _project_env_example() -> dict[str, str]:
    from dotenv import dotenv_values

    path = Path(__file__).resolve().parents[2] / ".env.example"
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


@pytest.mark.parametrize("name", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"])
def test_the_placeholders_of_env_example_are_refused_by_name(name):
    placeholder = _project_env_example()[name]
    message = _error({name: placeholder})
    assert message == (
        f"{name} still holds the placeholder {placeholder!r} of .env.example: "
        f"a real one looks like {EXAMPLES[name]}, copied from {SECRETS[name].where}."
    )


def test_env_example_as_a_whole_does_not_start_anything(tmp_path):
    path = tmp_path / ".env"
    path.write_text((Path(__file__).resolve().parents[2] / ".env.example").read_text())
    lines = _error({}, env_file=path).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
    ]


@pytest.mark.parametrize(
    "value",
    ["short", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0", "g" * 32],
)
def test_a_signing_secret_is_32_hexadecimal_characters(value):
    message = _error({"SLACK_SIGNING_SECRET": value})
    assert message.startswith("SLACK_SIGNING_SECRET is not a Slack signing secret")
    assert "32 hexadecimal characters" in message
    assert value not in message


def test_the_old_published_example_secret_is_refused_although_it_is_hexadecimal():
    message = _error({"SLACK_SIGNING_SECRET": "0123456789abcdef" * 2})
    assert message.startswith("SLACK_SIGNING_SECRET still holds the placeholder")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxb-not-numbers"),
        ("SLACK_BOT_TOKEN", "xoxb-12345"),
        ("SLACK_BOT_TOKEN", "xoxb-123-with spaces"),
        ("SLACK_APP_TOKEN", "xapp-12-A1-2-x"),
        ("SLACK_APP_TOKEN", "xapp-x-A1-2-x"),
    ],
)
def test_tokens_must_have_slacks_shape(name, value):
    message = _error({name: value})
    assert message.startswith(f"{name} is not a Slack {SECRETS[name].kind} as Slack issues it")
    assert value not in message


def test_values_shaped_as_slack_issues_them_are_accepted():
    secret = secrets.token_hex(16)
    settings = load_settings(
        environ={
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": secret.upper(),
            "SLACK_APP_TOKEN": APP_TOKEN,
        },
        env_file=None,
    )
    assert settings.slack_bot_token == BOT_TOKEN
    assert settings.slack_signing_secret == secret.upper()
    assert settings.slack_app_token == APP_TOKEN
