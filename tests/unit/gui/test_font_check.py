"""The start-up font check: with no font covering Chinese, a plain message says what to install, once."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from community_desk.gui import bootstrap


def test_no_message_when_a_chinese_font_exists(qapp):
    assert bootstrap.chinese_families()  # this machine has Noto CJK (the tests' screenshots need it)
    assert bootstrap.missing_font_message() is None
    assert bootstrap.missing_font_message(["Microsoft YaHei"], "win32") is None


def test_message_says_what_to_install_per_platform():
    linux = bootstrap.missing_font_message([], "linux")
    assert "sudo apt install fonts-noto-cjk" in linux and "方框" in linux and "No font for Chinese" in linux
    windows = bootstrap.missing_font_message([], "win32")
    assert "微软雅黑" in windows and "Windows 自带" in windows and "apt" not in windows
    assert "PingFang" in bootstrap.missing_font_message([], "darwin")


def test_start_up_warns_once_when_the_family_list_has_no_chinese(qapp, monkeypatch):
    monkeypatch.setattr(bootstrap, "chinese_families", lambda: [])
    monkeypatch.setattr(bootstrap, "_font_warned", False)
    monkeypatch.setattr(bootstrap.sys, "platform", "linux")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    message = bootstrap.warn_if_no_chinese_font()
    assert message and "fonts-noto-cjk" in message
    assert shown == [("缺少中文字体 / No Chinese font", message)]
    assert bootstrap.warn_if_no_chinese_font() is None  # once
    assert len(shown) == 1


def test_no_warning_with_a_chinese_family(qapp, monkeypatch):
    monkeypatch.setattr(bootstrap, "chinese_families", lambda: ["Noto Sans CJK SC"])
    monkeypatch.setattr(bootstrap, "_font_warned", False)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: (_ for _ in ()).throw(AssertionError("shown")))
    assert bootstrap.warn_if_no_chinese_font() is None
