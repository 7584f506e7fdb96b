/*
 * an_prom_chunk.c - splitting a range into requests of at most N points.
 */
#include "an_prom.h"

int an_prom_chunk_count(int64_t start, int64_t end, int64_t step, uint64_t max_points,
			uint64_t *n, struct an_err *err)
{
	uint64_t points;

	if (step <= 0)
		return an_err_set(err, AN_EDATA, "step must be positive");
	if (end < start)
		return an_err_set(err, AN_EDATA, "end is before start");
	if (max_points == 0)
		return an_err_set(err, AN_EDATA, "points per request must be positive");
	points = (uint64_t)(end - start) / (uint64_t)step + 1;
	*n = (points + max_points - 1) / max_points;
	return AN_OK;
}

void an_prom_chunk(int64_t start, int64_t end, int64_t step, uint64_t max_points,
		   uint64_t k, int64_t *chunk_start, int64_t *chunk_end)
{
	*chunk_start = start + (int64_t)(k * max_points) * step;
	*chunk_end = *chunk_start + (int64_t)(max_points - 1) * step;
	if (*chunk_end > end)
		*chunk_end = end;
}
