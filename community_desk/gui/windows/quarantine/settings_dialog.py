"""管控期限设置: the default period and test days of each measure, the office's list of
classifications (人员分类), and how many days before its date a special need shows on 今日
(特殊需求提前提醒（天）, the setting need_lead_days). A period change applies to new cases only; each is
checked in core.

`PolicyGrid` (one line per measure) is shared with the settings dialog (设置)."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QSpinBox, QWidget

from ....core.queries import quarantine as cases
from ....core.queries import quarantine_items as items
from ....core.rules import quarantine as rules
from .dialogs import _Dialog


class PolicyGrid(QWidget):
    """管控措施 / 天数 / 核酸检测日, filled from core.queries.quarantine.policies()."""

    def __init__(self, parent=None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("管控措施"), 0, 0)
        grid.addWidget(QLabel("天数"), 0, 1)
        grid.addWidget(QLabel("核酸检测日（第几天，逗号分隔）"), 0, 2)
        self.days: dict[str, QSpinBox] = {}
        self.test_days: dict[str, QLineEdit] = {}
        for row, (measure, policy) in enumerate(cases.policies().items(), start=1):
            spin = QSpinBox()
            spin.setRange(1, 60)
            spin.setValue(policy.days)
            edit = QLineEdit(",".join(str(d) for d in policy.test_days))
            self.days[measure], self.test_days[measure] = spin, edit
            grid.addWidget(QLabel(measure), row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(edit, row, 2)

    def values(self) -> dict[str, dict]:
        """{measure: {'days', 'test_days'}} as typed (checked by core)."""
        return {m: {"days": self.days[m].value(), "test_days": self.test_days[m].text()} for m in self.days}


NEED_LEAD_LABEL = "特殊需求提前提醒（天）"


class PolicyDialog(_Dialog):
    settings_key = "quarantine_policy"

    def __init__(self, parent=None):
        super().__init__(parent, "管控期限设置")
        self.grid = PolicyGrid()
        self.days, self.test_days = self.grid.days, self.grid.test_days
        self.form.addRow(self.grid)
        self.classifications = QLineEdit("、".join(cases.classifications()))
        self.form.addRow("人员分类（、分隔）", self.classifications)
        self.need_lead_days = QSpinBox()
        self.need_lead_days.setRange(0, 30)
        self.need_lead_days.setValue(items.need_lead_days())
        self.need_lead_days.setSuffix(" 天")
        self.need_lead_days.setMaximumWidth(90)
        self.need_lead_days.setToolTip("特殊需求从涉及日期前几天起列在“今日特殊需求”中；0 = 只在当天")
        self.form.addRow(NEED_LEAD_LABEL, self.need_lead_days)
        self.form.addRow(QLabel("修改只对新登记的人员生效；已登记人员的期限和检测日不变。"))
        self.resize(620, 290)

    def apply(self) -> None:
        checked = [rules.check_policy(m, v["days"], v["test_days"]) for m, v in self.grid.values().items()]
        current = cases.policies()
        for policy in checked:
            if policy != current[policy.measure]:
                cases.set_policy(policy.measure, policy.days, list(policy.test_days))
        names = [n for n in self.classifications.text().replace(",", "、").replace("，", "、").split("、")]
        if [n.strip() for n in names if n.strip()] != cases.classifications():
            cases.set_classifications(names)
        if self.need_lead_days.value() != items.need_lead_days():
            items.set_need_lead_days(self.need_lead_days.value())
