from newsline.cli import app

app()
