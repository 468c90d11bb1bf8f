"""Small dialogs of the quarantine window: release (one case or a selection), a date, a special
need, a follow-up. Each checks through core and keeps what the user typed when refused."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from ....core.queries import quarantine as cases
from ....core.queries import quarantine_items as items
from ....core.rules import quarantine as rules
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ...dialogs.base import RememberingDialog
from ...messages import OK, REFUSED, tell
from .common import from_qdate, to_qdate


class _Dialog(RememberingDialog):
    def __init__(self, parent, title: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def date_edit(self, day: dt.date) -> QDateEdit:
        edit = QDateEdit(to_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def save(self) -> None:
        try:
            self.apply()
        except (ValidationError, PermissionDenied) as exc:
            self.error.setText(exc.message)
            return
        self.accept()

    def apply(self) -> None: ...


NAMES_SHOWN = 6
CHOOSE_KIND = "请选择解除方式"


class ReleaseDialog(_Dialog):
    """解除隔离 for one case or, with the same kind and reason, for a selection. It names the people, starts with no
    kind chosen (期满解除 has its own button in the today view; `other_ways` leaves it out), and says what it did."""
    settings_key = "quarantine_release"

    def __init__(self, parent, case_ids: list[int], today: dt.date | None = None, other_ways: bool = False):
        self.names = [cases.get_form(cid)["name"] for cid in case_ids[:NAMES_SHOWN]]
        who = "、".join(self.names) + (f" 等 {len(case_ids)} 人" if len(case_ids) > NAMES_SHOWN else "")
        title = f"解除隔离 - {who}" if len(case_ids) == 1 else f"批量解除隔离（{len(case_ids)} 人）"
        super().__init__(parent, title)
        self.case_ids = case_ids
        self.refused: list[tuple[int, str, str]] = []
        self.summary = ""
        self.people = QLabel(who)
        self.people.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.addItems([k for k in rules.RELEASE_KINDS if not (other_ways and k == "期满解除")])
        self.kind.setPlaceholderText(CHOOSE_KIND)
        self.kind.setCurrentIndex(-1)
        self.day = self.date_edit(today or dt.date.today())
        self.approved_by = QLineEdit()
        self.approved_by.setPlaceholderText("提前解除时必填")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如 期满核酸阴性 / 经批准返岗 / 转至某隔离点")
        for label, widget in (("人员", self.people), ("解除方式", self.kind), ("解除日期", self.day),
                              ("批准人", self.approved_by), ("原因 / 去向", self.reason)):
            self.form.addRow(label, widget)
        # wide enough for its title (on the title bar, with its buttons) and the longest placeholder
        metrics = self.fontMetrics()
        self.setMinimumWidth(max(420, metrics.horizontalAdvance(title) + 160,
                                 metrics.horizontalAdvance(self.reason.placeholderText()) + 150))

    def apply(self) -> None:
        kind, day = self.kind.currentText(), from_qdate(self.day.date())
        if self.kind.currentIndex() < 0:
            raise ValidationError(CHOOSE_KIND)
        if len(self.case_ids) == 1:
            cases.release(self.case_ids[0], kind, day, approved_by=self.approved_by.text(), reason=self.reason.text())
            self.summary = f"已解除隔离：{self.names[0]}（{kind}，{day:%Y-%m-%d}）"
            return
        done, self.refused = items.bulk_release(self.case_ids, kind, self.reason.text(),
                                                approved_by=self.approved_by.text(), release_date=day)
        if self.refused and not done:
            raise ValidationError("没有可解除的人员：" + "；".join(f"{n}：{why}" for _i, n, why in self.refused[:5]))
        self.summary = f"已解除隔离 {done} 人（{kind}，{day:%Y-%m-%d}）" + (
            f"；{len(self.refused)} 人未解除" if self.refused else "")

    def accept(self) -> None:
        super().accept()
        tell(self.parentWidget(), self.summary, REFUSED if self.refused else OK)


class DateDialog(_Dialog):
    settings_key = "quarantine_date"

    def __init__(self, parent, title: str, label: str, day: dt.date, action):
        super().__init__(parent, title)
        self.day = self.date_edit(day)
        self.form.addRow(label, self.day)
        self.action = action

    def apply(self) -> None:
        self.action(from_qdate(self.day.date()))


class NeedDialog(_Dialog):
    settings_key = "quarantine_need"

    def __init__(self, parent, case_id: int, day: dt.date | None = None):
        super().__init__(parent, "新增特殊需求")
        self.case_id = case_id
        self.kind = QComboBox()
        self.kind.addItems(list(rules.NEED_KINDS))
        self.content = QLineEdit()
        self.content.setPlaceholderText("例如 每周肿瘤医院复查，需改约到隔离期满后并优先预约")
        self.day = self.date_edit(day or dt.date.today())
        self.handler = QLineEdit()
        for label, widget in (("类别", self.kind), ("需要什么", self.content), ("涉及日期", self.day),
                              ("负责人", self.handler)):
            self.form.addRow(label, widget)
        self.resize(520, 200)

    def apply(self) -> None:
        items.add_need(self.case_id, self.kind.currentText(), self.content.text(), from_qdate(self.day.date()),
                       self.handler.text())


class FollowUpDialog(_Dialog):
    settings_key = "quarantine_follow_up"

    def __init__(self, parent, follow_up_id: int, status: str = "正常"):
        super().__init__(parent, "登记健康监测")
        self.follow_up_id = follow_up_id
        self.status = QComboBox()
        self.status.addItems([s for s in rules.FOLLOW_UP_STATUSES if s != "未执行"])
        self.status.setCurrentText(status)
        self.temperature = QLineEdit()
        self.temperature.setPlaceholderText("例如 36.5")
        self.symptoms = QLineEdit()
        self.method = QComboBox()
        self.method.addItems(list(rules.FOLLOW_UP_METHODS))
        self.by_whom = QLineEdit()
        for label, widget in (("情况", self.status), ("体温", self.temperature), ("症状", self.symptoms),
                              ("方式", self.method), ("监测人", self.by_whom)):
            self.form.addRow(label, widget)

    def apply(self) -> None:
        items.record_follow_up(self.follow_up_id, self.status.currentText(), temperature=self.temperature.text(),
                               symptoms=self.symptoms.text(), method=self.method.currentText(),
                               by_whom=self.by_whom.text())
