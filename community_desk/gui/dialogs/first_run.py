"""First start: which communities this office serves and the office's name for reports."""
from __future__ import annotations

import re

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from ...core.queries import communities
from ...core.queries import settings as office_settings
from ...core.rules.text import ValidationError, clean_text
from .base import RememberingDialog


class FirstRunDialog(RememberingDialog):
    settings_key = "first_run"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用社区工作台")
        intro = QLabel("第一次使用，请填写本社区的基本信息（以后可在设置中修改）。")
        intro.setWordWrap(True)
        self.communities_edit = QPlainTextEdit()
        self.communities_edit.setPlaceholderText("每行一个社区，例如：\n原乡小镇\n天瑞嘉园")
        self.communities_edit.setFixedHeight(90)
        self.office_edit = QLineEdit()
        self.office_edit.setPlaceholderText("例如：长阳镇原乡小镇社区居委会")
        self.reporter_edit = QLineEdit()
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("服务的社区名称", self.communities_edit)
        form.addRow("填报单位（报表用）", self.office_edit)
        form.addRow("填报人", self.reporter_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始使用")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(460, 300)

    def save(self) -> None:
        names = [n for n in re.split(r"[\n、,，;；]+", self.communities_edit.toPlainText()) if n.strip()]
        try:
            office = clean_text(self.office_edit.text(), max_length=60, field_label="填报单位")
            reporter = clean_text(self.reporter_edit.text(), max_length=20, field_label="填报人")
            if not names:
                raise ValidationError("请至少填写一个社区名称")
            if not office:
                raise ValidationError("请填写填报单位，报表和打印件上会用到")
            communities.ensure_communities(names)
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            return
        office_settings.put("office_name", office)
        office_settings.put("reporter_name", reporter)
        self.accept()
