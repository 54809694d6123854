# cmake -DSPEC_DIR=... -DSEED_DIR=... -DSTAMP=... -P seed.cmake
# Copies every .wasm file of the testsuite into one flat seed folder (the
# names <script>.<k>.wasm are unique). A script, because the 4,600 paths do
# not fit on one command line.
file(GLOB_RECURSE seeds "${SPEC_DIR}/*.wasm")
list(LENGTH seeds n)
if(n EQUAL 0)
  message(FATAL_ERROR "no .wasm files under ${SPEC_DIR}")
endif()
file(MAKE_DIRECTORY "${SEED_DIR}")
file(COPY ${seeds} DESTINATION "${SEED_DIR}")
file(TOUCH "${STAMP}")
message(STATUS "fuzz: ${n} seed files in ${SEED_DIR}")
