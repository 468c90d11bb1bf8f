"""操作日志: who changed what, when."""
