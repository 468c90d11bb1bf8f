"""The window-cleaning service page (擦玻璃服务): rounds, eligible residents, survey, schedule, roster."""
