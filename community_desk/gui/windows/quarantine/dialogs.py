"""Small dialogs of the quarantine window: release (one case or a selection), a date, a special
need, a follow-up; a positive (confirmation with the sampling date), its transfer (登记转运), its correction
(更正阳性, 管理员) and its household contacts (同户密接). Each checks through core and keeps what the user typed
when refused. The transfer and contacts dialogs take every positive awaiting transfer and ask whom when there
are several (the today view's red line has one button for each, not a list of its own)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ....core import vocabulary
from ....core.queries import quarantine as cases
from ....core.queries import quarantine_items as items
from ....core.queries import quarantine_positive as positives
from ....core.rules import quarantine as rules
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ...dialogs.base import RememberingDialog
from ...messages import OK, REFUSED, tell
from .common import fill, from_qdate, list_model, make_table, selected_ids, to_qdate


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


RED_BOLD = "color: #c5221f; font-weight: bold;"


def who(names: list[str]) -> str:
    return "、".join(names[:NAMES_SHOWN]) + (f" 等 {len(names)} 人" if len(names) > NAMES_SHOWN else "")


class PositiveDialog(_Dialog):
    """登记阳性: names the people, asks the sampling date and says what follows, before anything is written.
    `tests` is [(test id, name, sampling date or None)]: one date for all (the tests' own when they agree, else
    `day`); tests already sampled on different days keep each its own."""
    settings_key = "quarantine_positive"

    def __init__(self, parent, tests: list[tuple[int, str, dt.date | None]], day: dt.date):
        super().__init__(parent, "确认登记阳性")
        self.test_ids = [t[0] for t in tests]
        self.recorded = 0
        self.warning = QLabel(f"确认 {who([t[1] for t in tests])} 的核酸结果为阳性？\n登记后转为“{vocabulary.CASE_POSITIVE}”，"
                              "不再出现在解除名单中，直到登记转运；阳性只能由管理员填写原因后更正。")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(RED_BOLD)
        self.form.addRow(self.warning)
        sampled = {t[2] for t in tests if t[2]}
        self.own_dates = len(sampled) > 1
        self.day = self.date_edit(sampled.pop() if len(sampled) == 1 else day)
        if self.own_dates:
            self.day.setEnabled(False)
            self.day.setToolTip("所选各次检测的采样日期不同：各按已登记的采样日期")
        self.form.addRow("采样日期", self.day if not self.own_dates else QLabel("各按已登记的采样日期"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确认阳性")
        self.setMinimumWidth(460)

    def apply(self) -> None:
        day = from_qdate(self.day.date())
        for tid in self.test_ids[self.recorded:]:
            if self.own_dates:
                items.record_result(tid, vocabulary.RESULT_POSITIVE)
            else:
                positives.record_positive(tid, day)
            self.recorded += 1


class _PositiveChoice(_Dialog):
    """A dialog about one positive: the person is named, or chosen when several await transfer."""

    def __init__(self, parent, title: str, case_ids: list[int]):
        super().__init__(parent, title)
        known = {c["id"]: c for c in positives.positive_cases()}
        self.person = QComboBox()
        for cid in case_ids:
            c = known.get(cid) or {"name": cases.get_form(cid)["name"], "positive_date": None}
            when = f"（{c['positive_date']:%m-%d}采样阳性）" if c["positive_date"] else ""
            self.person.addItem(f"{c['name']}{when}", cid)
        self.form.addRow("阳性人员", self.person)
        if len(case_ids) == 1:
            self.person.setEnabled(False)

    @property
    def case_id(self) -> int:
        return int(self.person.currentData())


class TransferDialog(_PositiveChoice):
    """登记转运 of a positive: the day and the receiving site (集中隔离地点)."""
    settings_key = "quarantine_transfer"

    def __init__(self, parent, case_ids: list[int], day: dt.date):
        super().__init__(parent, "登记转运", case_ids)
        self.day = self.date_edit(day)
        self.site = QLineEdit()
        self.site.setPlaceholderText("例如 长阳镇集中隔离点（某酒店）")
        self.form.addRow("转运日期", self.day)
        self.form.addRow("集中隔离地点", self.site)
        self.summary = ""
        self.setMinimumWidth(440)

    def apply(self) -> None:
        day = from_qdate(self.day.date())
        positives.record_transfer(self.case_id, day, self.site.text())
        self.summary = f"已登记转运：{self.person.currentText().split('（')[0]}（{day:%Y-%m-%d}，{self.site.text().strip()}）"


class CorrectionDialog(_Dialog):
    """更正阳性 (管理员 only, with a reason: core refuses others and says why)."""
    settings_key = "quarantine_correction"

    def __init__(self, parent, test_id: int):
        super().__init__(parent, "更正阳性结果")
        self.test_id = test_id
        self.result = QComboBox()
        self.result.addItems([vocabulary.RESULT_NEGATIVE, vocabulary.RESULT_PENDING])
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("必填，例如 疾控复核为阴性（通知编号…）")
        self.form.addRow("更正为", self.result)
        self.form.addRow("更正原因", self.reason)
        self.setMinimumWidth(440)

    def apply(self) -> None:
        positives.correct_positive(self.test_id, self.result.currentText(), self.reason.text())


class ContactsDialog(_PositiveChoice):
    """The positive's registered household members (同户): select one, press 登记为密接, and a case is added."""
    settings_key = "quarantine_contacts"

    def __init__(self, parent, case_ids: list[int], day: dt.date):
        super().__init__(parent, "同户密接", case_ids)
        self.today = day
        self.added = 0
        self.model = list_model(["姓名", "与户主关系", "性别", "身份证号", "已登记"], self)
        self.table = make_table(self.model, (80, 80, 40, 150))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.add_button = QPushButton("登记为密接")
        self.add_button.clicked.connect(self.add_selected)
        self.form.addRow(self.note)
        self.form.addRow(self.table)
        self.form.addRow(self.add_button)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("关闭")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self.person.currentIndexChanged.connect(self.load)
        self.resize(580, 340)
        self.load()

    def load(self) -> None:
        rows = positives.household_candidates(self.case_id)
        fill(self.model, [(r["resident_id"], (r["name"], r["relation"], r["gender"], r["id_number"],
                                              r["case_status"] or "未登记")) for r in rows])
        self.note.setText(f"居民台账中同户成员 {len(rows)} 人；选中一人，按“登记为密接”即登记为新的隔离人员"
                          f"（人员分类 {vocabulary.CLOSE_CONTACT}）。" if rows else
                          "该人员未关联居民台账的户，或户内没有其他成员：请在台账中用“新增”手工登记密接。")
        self.add_button.setEnabled(bool(rows))

    def add_selected(self) -> None:
        ids = selected_ids(self.table)
        if not ids:
            self.error.setText("请先选中一人")
            return
        try:
            for rid in ids:
                positives.add_close_contact(self.case_id, rid, self.today)
                self.added += 1
        except (ValidationError, PermissionDenied) as exc:
            self.error.setText(exc.message)
        else:
            self.error.setText("")
        self.load()

    def apply(self) -> None:
        pass
