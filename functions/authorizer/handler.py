from filmstudio.auth.authorizer import authorize


def handler(event, context):
    return authorize(event)
