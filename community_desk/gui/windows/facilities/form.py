"""The facility form (设施信息): the record, its history (状态变更 / 巡检 / 维修 / 我来办工单) as a list,
photo thumbnails, and buttons to record an inspection or a repair."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ....core import session
from ....core.models.facilities import FACILITY_STATUSES, UNITS
from ....core.queries import communities, facilities
from ....core.rules import facilities as rules
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import font_size
from ...dialogs.base import show_error
from ...dialogs.field_form import FormDialog
from ...file_dialogs import ask_open_paths
from .photos import PhotoList

FIELD_LABELS = {
    "kind_id": "设施种类", "name": "设施名称", "quantity": "数量", "unit": "单位", "community_id": "社区",
    "building": "楼栋", "location": "位置", "status": "状态", "planned_date": "计划日期",
    "installed_date": "安装日期", "builder": "供货或施工单位", "cost": "费用（元）", "funding": "资金来源",
    "responsible": "负责人", "next_step": "下一步", "notes": "备注",
}
LEFT = ["kind_id", "name", "quantity", "unit", "status", "planned_date", "installed_date", "next_step"]
RIGHT = ["community_id", "building", "location", "builder", "cost", "funding", "responsible", "notes"]
PHOTO_FILTER = "图片 (*.png *.jpg *.jpeg *.bmp *.gif *.webp)"


def history_line(item: dict) -> str:
    day = item["date"].isoformat() if item["date"] else ""
    cost = f"　费用 {rules.format_money(item['cost'])} 元" if item.get("cost") is not None else ""
    who = f"　{item['who']}" if item["who"] else ""
    return f"{day}　【{item['kind']}】{who}　{item['text']}{cost}"


def event_dialog(parent, facility_id: int, kind: str) -> FormDialog:
    """The dialog that records an inspection (巡检) or a repair (维修) of one facility."""
    form = facilities.get_form(facility_id)
    date_edit = QLineEdit(dt.date.today().isoformat())
    who_edit = QLineEdit(session.current.user if kind == "巡检" else "")
    found_edit = QPlainTextEdit()
    font_size.fix_lines(found_edit, 3)
    cost_edit = QLineEdit()
    cost_edit.setPlaceholderText("元，可不填，例如 350.50")
    status_combo = QComboBox()
    status_combo.addItem(f"不变（{form['status']}）", "")
    for status in rules.allowed_next(form["status"]):
        status_combo.addItem(f"改为 {status}", status)
    if kind == "维修":
        wanted = "维修中" if form["status"] == "已完工" else "已完工" if form["status"] == "维修中" else ""
        if wanted:
            status_combo.setCurrentIndex(max(status_combo.findData(wanted), 0))
    rows = [("date", "日期", date_edit), ("who", "经办人", who_edit),
            ("found", "发现问题及处理" if kind == "巡检" else "维修内容", found_edit),
            ("cost", "费用（元）", cost_edit), ("new_status", "设施状态", status_combo)]
    return FormDialog(parent, f"记录{kind} - {form['name']}", rows,
                           lambda values: facilities.add_event(facility_id, {**values, "kind": kind}),
                           settings_key="facility_event")


class FacilityForm(FormDialog):
    settings_key = "facility_form"
    cancel_text = "关闭"  # history and photos are stored at once: nothing of theirs is cancelled

    def __init__(self, parent=None, facility_id: int | None = None):
        super().__init__(parent)
        self.facility_id = facility_id
        self.saved_id: int | None = None
        self.pending_photos: list[Path] = []
        self.changed = False  # history or photos changed (the list must refresh even on cancel)
        self.setWindowTitle("修改设施" if facility_id else "新增设施")

        self.kind_combo = QComboBox()
        self.kind_units: dict[int, str] = {}
        for kid, name, unit in facilities.list_kinds():
            self.kind_combo.addItem(name, kid)
            self.kind_units[kid] = unit
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._field("kind_id", self.kind_combo)
        self.name_edit = self._line("name", "例如 儿童乐园秋千")
        self.quantity_edit = self._line("quantity", "整数")
        self.quantity_edit.setText("1")
        self.unit_combo = QComboBox()
        self.unit_combo.addItems(list(UNITS))
        self._field("unit", self.unit_combo)
        self.community_combo = QComboBox()
        self.community_combo.addItem("", None)
        for cid, name in communities.list_communities():
            self.community_combo.addItem(name, cid)
        if self.community_combo.count() > 1:
            self.community_combo.setCurrentIndex(1)
        self._field("community_id", self.community_combo)
        self.building_edit = self._line("building", "例如 3号楼，可不填")
        self.location_edit = self._line("location", "例如 中心花园、儿童乐园")
        self.status_combo = QComboBox()
        self._field("status", self.status_combo)
        self.planned_edit = self._line("planned_date", "例如 2026-09-01")
        self.installed_edit = self._line("installed_date", "已完工的设施必填")
        self.builder_edit = self._line("builder")
        self.cost_edit = self._line("cost", "元，例如 12800.50")
        self.funding_edit = self._line("funding", "例如 社区公益金")
        self.responsible_edit = self._line("responsible")
        self.next_step_edit = self._line("next_step", "规划项目的下一步工作")
        self.notes_edit = QPlainTextEdit()
        font_size.fix_lines(self.notes_edit, 2)
        self._field("notes", self.notes_edit)

        self.history_list = QListWidget()
        self.history_list.setObjectName("facilityHistory")
        self.inspect_button = QPushButton("记录巡检…")
        self.inspect_button.clicked.connect(lambda: self.record_event("巡检"))
        self.repair_button = QPushButton("记录维修…")
        self.repair_button.clicked.connect(lambda: self.record_event("维修"))
        history_box = QGroupBox("历史记录（状态变更、巡检、维修、我来办工单）")
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_list)
        history_buttons = QHBoxLayout()
        history_buttons.addWidget(self.inspect_button)
        history_buttons.addWidget(self.repair_button)
        self.repair_total = QLabel()
        history_buttons.addStretch(1)
        history_buttons.addWidget(self.repair_total)
        history_layout.addLayout(history_buttons)

        self.photo_list = PhotoList()
        self.photo_list.itemDoubleClicked.connect(self._open_photo)
        self.add_photo_button = QPushButton("添加照片…")
        self.add_photo_button.clicked.connect(self.choose_photos)
        self.remove_photo_button = QPushButton("删除照片")
        self.remove_photo_button.clicked.connect(self.remove_selected_photo)
        photo_box = QGroupBox("照片")
        photo_layout = QVBoxLayout(photo_box)
        photo_layout.addWidget(self.photo_list)
        photo_buttons = QHBoxLayout()
        photo_buttons.addWidget(self.add_photo_button)
        photo_buttons.addWidget(self.remove_photo_button)
        photo_buttons.addStretch(1)
        photo_layout.addLayout(photo_buttons)

        self.body.addLayout(self.field_grid(LEFT, RIGHT))
        lower = QHBoxLayout()  # side by side: the form fits a 1366 x 768 screen with its taskbar
        lower.addWidget(history_box, 3)
        lower.addWidget(photo_box, 2)
        self.body.addLayout(lower, 1)
        if facility_id:
            values = self.loaded = facilities.get_form(facility_id)
            self._fill_statuses(values["status"])
            self._load(values)
            self.reload_history()
            self.reload_photos()
        else:
            self._fill_statuses("")
            self.status_combo.setCurrentText("已完工")
            self._kind_changed()
            self.inspect_button.setEnabled(False)
            self.repair_button.setEnabled(False)
            self.history_list.addItem("保存后可记录巡检和维修")
        self.resize(900, 780)

    # --- building ---
    def _field(self, key: str, widget):
        return self.add_field(key, FIELD_LABELS[key], widget)

    def _line(self, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        return self._field(key, edit)

    def _fill_statuses(self, current: str) -> None:
        """A new facility may start in any status; a stored one offers only the allowed moves."""
        self.status_combo.clear()
        if current:
            self.status_combo.addItem(current)
            self.status_combo.addItems(list(rules.allowed_next(current)))
        else:
            self.status_combo.addItems(list(FACILITY_STATUSES))

    def _kind_changed(self) -> None:
        unit = self.kind_units.get(self.kind_combo.currentData())
        if unit and not self.facility_id:
            self.unit_combo.setCurrentText(unit)

    def _load(self, values: dict) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(values["kind_id"]), 0))
        self.community_combo.setCurrentIndex(max(self.community_combo.findData(values["community_id"]), 0))
        self.unit_combo.setCurrentText(values["unit"])
        self.status_combo.setCurrentText(values["status"])
        for key, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                widget.setText(str(values.get(key) or ""))
        self.notes_edit.setPlainText(values.get("notes") or "")

    def values(self) -> dict:
        out = super().values()
        out["community_id"] = self.community_combo.currentData()  # its empty item holds None, not its text
        return out

    def snapshot(self) -> object:
        return self.values(), list(self.pending_photos)

    # --- history and photos ---
    def reload_history(self) -> None:
        self.history_list.clear()
        items = facilities.history(self.facility_id)
        for item in items:
            self.history_list.addItem(history_line(item))
        total = facilities.repair_costs(self.facility_id)
        self.repair_total.setText(f"巡检维修费用合计：{rules.format_money(total)} 元")

    def reload_photos(self) -> None:
        self.photo_list.clear()
        self.photo_list.missing = 0
        if self.facility_id:
            for photo in facilities.list_photos(self.facility_id):
                self.photo_list.add_photo(("id", photo["id"]), photo["path"], photo["caption"])
        for path in self.pending_photos:
            self.photo_list.add_photo(("pending", str(path)), path, f"{path.stem}（待保存）")

    def record_event(self, kind: str) -> bool:
        dialog = self.make_event_dialog(kind)
        if dialog is None or not dialog.exec():
            return False
        self.after_event()
        return True

    def make_event_dialog(self, kind: str) -> FormDialog | None:
        if not self.facility_id:
            return None
        return event_dialog(self, self.facility_id, kind)

    def after_event(self) -> None:
        """A record was saved: the status may have moved, the history grew."""
        self.changed = True
        typed = self.has_changes()
        status = facilities.get_form(self.facility_id)["status"]
        self._fill_statuses(status)
        self.status_combo.setCurrentText(status)
        if not typed:
            self.mark_unchanged()  # the status the record moved is not a typed change
        self.reload_history()

    def choose_photos(self) -> None:
        paths = ask_open_paths(self, "添加照片", PHOTO_FILTER)
        if paths:
            self.add_photo_files(paths)

    def add_photo_files(self, paths: list[str]) -> None:
        """Stored at once for a saved facility; kept until saving for a new one."""
        for raw in paths:
            path = Path(raw)
            if self.facility_id:
                try:
                    facilities.add_photo(self.facility_id, path)
                except (ValidationError, PermissionDenied, OSError) as exc:
                    show_error(self, "添加照片", getattr(exc, "message", str(exc)))
                    continue
                self.changed = True
            else:
                self.pending_photos.append(path)
        self.reload_photos()

    def remove_selected_photo(self) -> None:
        item = self.photo_list.currentItem()
        if item is None:
            return
        kind, value = item.data(Qt.ItemDataRole.UserRole)
        if kind == "id":
            try:
                facilities.delete_photo(int(value))
            except PermissionDenied as exc:
                show_error(self, "删除照片", exc.message)
                return
            self.changed = True
        else:
            self.pending_photos = [p for p in self.pending_photos if str(p) != value]
        self.reload_photos()

    def _open_photo(self, item) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(item.toolTip()))

    # --- saving ---
    def set_field(self, key: str, value) -> None:
        if key == "status":  # the moves offered are those from the status stored now
            self._fill_statuses(value)
        super().set_field(key, value)

    def write(self, values: dict) -> None:
        self.saved_id = facilities.save(values, self.facility_id, loaded=self.loaded)
        failed = []
        for path in self.pending_photos:
            try:
                facilities.add_photo(self.saved_id, path)
            except (ValidationError, OSError) as exc:
                failed.append(getattr(exc, "message", str(exc)))
        self.pending_photos = []
        if failed:
            show_error(self, "添加照片", "设施已保存，但以下照片未能添加：\n" + "\n".join(failed))
