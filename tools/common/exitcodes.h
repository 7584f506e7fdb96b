/*
 * exitcodes.h - the exit codes of every tool, documented once.
 *
 *   0  success
 *   1  bad input data or bad usage: the message names the file, the line,
 *      what was expected; usage errors add "try 'TOOL --help'"
 *   2  system, I/O, network or server failure (cannot open, disk full,
 *      connection refused, Prometheus answered an error, gnuplot missing)
 *
 * They equal the engine's an_status values (analysis/an_err.h) so that an
 * engine error maps to its exit code without a table.
 */
#ifndef EXITCODES_H
#define EXITCODES_H

#include "an_err.h"

#define EXIT_OK AN_OK
#define EXIT_DATA AN_EDATA
#define EXIT_USAGE AN_EDATA
#define EXIT_SYS AN_ESYS

#endif
