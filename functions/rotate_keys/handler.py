from filmstudio.auth.rotation import rotate_key_ring
from filmstudio.observability import handler as lambda_handler


@lambda_handler
def handler(event, context):
    # The schedule's event carries nothing the rotation needs.
    return rotate_key_ring()
