"""Excel: reading ledgers (import) and writing reports (export) in the house style."""
