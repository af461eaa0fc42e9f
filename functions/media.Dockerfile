# One image for every media stage Lambda (analyze, plan, storyboard, motion, speech, music, compose).
# Each function overrides CMD with its own handler (cdk/pipeline.py), so one build serves them all.
# The media extra (ffmpeg, eSpeak NG data, fonts, lingua) is why these are images: it exceeds the
# 250 MB zip limit. Build context: the repository root, trimmed by /.dockerignore.
# The base must match cdk/lambda_runtime.py (Python 3.13 on Amazon Linux 2023, glibc 2.34): the
# media wheels (numpy, Pillow, imageio-ffmpeg, espeakng-loader) need glibc 2.28+ (2.29 for eSpeak NG).
FROM public.ecr.aws/lambda/python:3.13

WORKDIR /build
# Dependencies first, in their own layer: they change far less often than the code.
COPY pyproject.toml README.md ./
COPY shared ./shared
RUN pip install --no-cache-dir ".[media]" \
    && rm -rf /build

# Two malloc arenas, not eight per core: the stages' threads otherwise each keep freed memory
# to themselves (shared/filmstudio/malloc.py has the measurements).
ENV MALLOC_ARENA_MAX=2

WORKDIR ${LAMBDA_TASK_ROOT}
COPY functions ./functions

# Overridden per function; this default only makes a bare `docker run` do something sensible.
CMD ["functions.analyze.handler.handler"]
