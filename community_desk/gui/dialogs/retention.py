"""隔离记录匿名化: review the released cases past the retention period, then anonymise them in one action."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout

from ...core.backup import BackupError
from ...core.queries import retention
from ...core.rules.text import ValidationError
from ...core.session import PermissionDenied
from ..page import bus
from ..table_model import LazyTableModel, make_table_view
from .base import RememberingDialog, confirm

HEADERS = ["姓名", "解除日期", "状态"]


class RetentionDialog(RememberingDialog):
    settings_key = "retention"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("隔离记录匿名化")
        self._candidates: dict[int, retention.Candidate] = {}
        self.days_spin = QSpinBox()
        self.days_spin.setRange(30, 3650)
        self.days_spin.setSuffix(" 天")
        self.days_spin.setValue(retention.retention_days())
        self.days_spin.valueChanged.connect(self.reload)
        self.model = LazyTableModel(HEADERS, self._rows, self)
        self.table = make_table_view(self.model)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.run_button = QPushButton("匿名化以上记录")
        self.run_button.clicked.connect(self.run)
        top = QHBoxLayout()
        top.addWidget(QLabel("解除隔离已超过"))
        top.addWidget(self.days_spin)
        top.addWidget(QLabel("的记录"))
        top.addStretch(1)
        layout = QVBoxLayout(self)
        explain = QLabel("隔离管控记录含有个人健康信息，只为防控目的保存。保存期满后匿名化：姓名只留姓（王某），"
                         "删除身份证号、电话、备注和特殊需求内容，住址只留楼栋；日期、人员分类、管控措施和核酸结果保留，"
                         "统计数字不变。执行前自动备份，并记入操作日志。")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(self.run_button)
        self.resize(560, 480)
        self.reload()

    def _rows(self, ids: list[int]) -> dict[int, tuple]:
        return {i: (c.name, f"{c.release_date:%Y-%m-%d}", c.status) for i, c in self._candidates.items() if i in ids}

    def reload(self) -> None:
        found = retention.candidates(days=self.days_spin.value())
        self._gate = len(retention.gate_candidates(days=self.days_spin.value()))
        self._candidates = {c.case_id: c for c in found}
        self.model.set_ids([c.case_id for c in found])
        gate = f"另有 {self._gate} 条出入登记（门岗体温、身份证号）到期，一并匿名化。" if self._gate else ""
        self.summary.setText((f"共 {len(found)} 条记录可以匿名化。" if found else "没有到期的记录。") + gate)
        self.run_button.setEnabled(bool(found) or bool(self._gate))

    def run(self, _checked=False, ask: bool = True) -> int:
        ids = self.model.ids()
        gate = f"和 {self._gate} 条出入登记" if self._gate else ""
        if ask and not confirm(self, "隔离记录匿名化", f"确定匿名化这 {len(ids)} 条记录{gate}？此操作不能撤销（执行前会自动备份）。"):
            return 0
        try:
            done = retention.anonymise(ids, days=self.days_spin.value())
        except (PermissionDenied, BackupError, ValidationError) as exc:
            self.summary.setText(getattr(exc, "message", str(exc)))
            return 0
        bus.data_changed.emit("quarantine_case")
        if gate:
            bus.data_changed.emit("gate_entry")
        self.reload()
        self.summary.setText(f"已匿名化 {done} 条记录{gate}，执行前的数据已备份。")
        return done
