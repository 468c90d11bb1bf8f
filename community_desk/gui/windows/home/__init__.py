"""The home screen (工作台首页): today's numbers, each a click away from its list, and charts."""
