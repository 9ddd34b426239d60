# Reference values for TestMoranISpdep: Global Moran's I with binary
# weights, tested under randomisation by spdep's moran.test with its
# defaults (alternative "greater", adjust.n TRUE) and zero.policy TRUE.
#
# Regenerate from geo/stats:
#   Rscript testdata/moran_spdep.R > testdata/moran_spdep.txt
#
# Output, one block per case; cells and neighbours are 0-based:
#   case NAME
#   x x_0 x_1 ...
#   nb i j ...            (one line per cell, no j when it has none)
#   want I E[I] Var[I] z p
suppressPackageStartupMessages(library(spdep))

as_nb <- function(lists) {
  nb <- lapply(lists, function(v) if (length(v) == 0) 0L else sort(as.integer(v + 1)))
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_along(nb))
  nb
}

# side x side patch of a hexagonal grid in axial coordinates, neighbours
# within grid distance k, the cell itself excluded.
hex_grid <- function(side, k) {
  out <- vector("list", side * side)
  for (q in 0:(side - 1)) for (r in 0:(side - 1)) {
    v <- integer(0)
    for (dq in -k:k) for (dr in max(-k, -dq - k):min(k, -dq + k)) {
      nq <- q + dq; nr <- r + dr
      if ((dq != 0 || dr != 0) && nq >= 0 && nq < side && nr >= 0 && nr < side)
        v <- c(v, nq * side + nr)
    }
    out[[q * side + r + 1]] <- v
  }
  out
}

rook_grid <- function(side) {
  out <- vector("list", side * side)
  for (r in 0:(side - 1)) for (c in 0:(side - 1)) {
    v <- integer(0)
    if (r > 0) v <- c(v, (r - 1) * side + c)
    if (r < side - 1) v <- c(v, (r + 1) * side + c)
    if (c > 0) v <- c(v, r * side + c - 1)
    if (c < side - 1) v <- c(v, r * side + c + 1)
    out[[r * side + c + 1]] <- v
  }
  out
}

emit <- function(name, x, lists) {
  lw <- nb2listw(as_nb(lists), style = "B", zero.policy = TRUE)
  t <- moran.test(x, lw, randomisation = TRUE, zero.policy = TRUE)
  cat("case", name, "\n")
  cat("x", sprintf("%.17g", x), "\n")
  for (i in seq_along(lists)) cat("nb", i - 1, lists[[i]], "\n")
  cat("want", sprintf("%.17g", c(t$estimate, t$statistic, t$p.value)), "\n")
}

set.seed(20240601)
sparse <- function(n, rate) ifelse(runif(n) < rate, rpois(n, 3) + 1, 0)

emit("line4", c(1, 2, 3, 4), list(1, c(0, 2), c(1, 3), 2))
emit("rook3x3", c(4, 0, 1, 3, 2, 0, 5, 1, 0), rook_grid(3))
emit("rook5x5-gradient", as.numeric(rep(0:4, 5) + rep(0:4, each = 5)), rook_grid(5))
emit("hex8-k1-sparse", sparse(64, 0.2), hex_grid(8, 1))
emit("hex10-k2-sparse", sparse(100, 0.1), hex_grid(10, 2))
emit("hex12-k3-sparse", sparse(144, 0.06), hex_grid(12, 3))
# Cells 5 and 8 have no neighbours: zero.policy, and n reduced by adjust.n.
emit("line-with-islands", c(3, 0, 1, 2, 7, 0, 0, 5, 9),
     list(1, c(0, 2), c(1, 3), c(2, 4), 3, integer(0), 7, 6, integer(0)))
# Asymmetric weights: each cell's two nearest on a line by index order,
# which is not reciprocal at the ends.
emit("asymmetric", c(2, 8, 1, 0, 4, 6, 3),
     list(c(1, 2), c(0, 2), c(1, 3), c(2, 4), c(3, 5), c(4, 6), c(4, 5)))
