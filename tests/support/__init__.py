"""What the tests share: the demo template, the test client and login, page helpers,
factories and served apps (`from support.pages import text`)."""
