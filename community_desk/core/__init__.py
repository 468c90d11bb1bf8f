"""Qt-free core: models, rules, queries, Excel, backups."""
