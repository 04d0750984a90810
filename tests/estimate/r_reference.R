# R's survey package as the reference of the estimation tests (tests/estimate/r_survey.py runs
# it once per test session, over every case of tests/estimate/r_cases.py).
#
# Usage: Rscript r_reference.R FOLDER
# FOLDER holds cases.csv (one row per case: case, data file, the svydesign arguments ids,
# strata, fpc, weights as column names, empty for none) and cells.csv (one row per cell: case,
# population_id, breakdown_id, breakdown_value, indicator_id, the leaves of the population
# node, the breakdown column (empty for totaal), the item, its count and exclude codes,
# space-separated). It writes FOLDER/results.csv (one row per cell, doubles with 17 digits) and
# FOLDER/versions.csv (R's and survey's versions).
#
# Per cell: svyciprop(~I(item %in% count_codes), subset(design, domain & answered),
# method = "logit"), whose df is that subset's degf (R's own default), never
# confint(svyby(...)), which takes one df for all groups. Beside it, two things R computes
# exactly where svyciprop's logit stops short (docs/estimation.md, "Checked against R and svy"):
# - where 0 < p < 1, the same logistic fit (svyglm, quasibinomial) iterated to convergence and
#   its Wald interval coef +- qt(0.975, degf) x SE: svyglm stops at glm.control's default
#   epsilon (1e-8 on the deviance), leaving ~1e-9 in the value, and confint.svyglm takes the t
#   quantile through qnorm(pnorm()), which at df = 1 gives an infinite interval;
# - at p = 0 or 1, svymean's coefficient: the logistic fit stops at a finite coefficient, so
#   svyciprop's value is ~1e-10 away from the share.
# A missing breakdown answer is the value "onbekend", as the engine reads it
# (docs/estimation.md, "Definitions").

suppressPackageStartupMessages(library(survey))

folder <- commandArgs(TRUE)[1]
cases <- read.csv(file.path(folder, "cases.csv"), colClasses = "character", na.strings = NULL)
cells <- read.csv(file.path(folder, "cells.csv"), colClasses = "character", na.strings = NULL)
COLUMNS <- c("respondents", "value", "se", "ci_low", "ci_high", "df", "mean", "fit_value",
             "fit_low", "fit_high", "error")
CONVERGED <- glm.control(epsilon = 1e-14, maxit = 100)

one_sided <- function(column) {
  if (column == "") NULL else as.formula(paste("~", column))
}

design_of <- function(case) {
  data <- read.csv(file.path(folder, case$data), stringsAsFactors = FALSE, na.strings = "")
  ids <- if (case$ids == "") ~1 else one_sided(case$ids)
  list(
    data = data,
    design = svydesign(
      ids = ids, strata = one_sided(case$strata), fpc = one_sided(case$fpc),
      weights = one_sided(case$weights), data = data, nest = TRUE
    )
  )
}

codes <- function(text) {
  if (text == "") numeric(0) else as.numeric(strsplit(text, " ", fixed = TRUE)[[1]])
}

# A double as text that reads back to the same double; NA (and NaN) as an empty field.
exact <- function(x) {
  if (is.null(x) || is.na(x)) "" else sprintf("%.17g", x)
}

# A cell R refused (a lonely PSU, say): its message, on one line.
failed <- function(message) {
  list(error = gsub("[\r\n,\"]", " ", message))
}

estimate_cell <- function(design, data, cell) {
  item <- data[[cell$item]]
  answered <- !is.na(item) & !(item %in% codes(cell$exclude_codes))
  domain <- data$population_id %in% strsplit(cell$leaves, " ", fixed = TRUE)[[1]]
  if (cell$breakdown != "") {
    value <- data[[cell$breakdown]]
    value[is.na(value)] <- "onbekend"
    domain <- domain & value == cell$breakdown_value
  }
  members <- domain & answered
  if (!any(members)) return(list(respondents = 0))
  counted <- sprintf("%s %%in%% c(%s)", cell$item, paste(codes(cell$count_codes), collapse = ", "))
  tryCatch({
    inside <- subset(design, members)
    ciprop <- suppressWarnings(svyciprop(as.formula(sprintf("~I(%s)", counted)), inside,
                                         method = "logit"))
    found <- list(respondents = sum(members), value = as.numeric(ciprop),
                  se = as.numeric(SE(ciprop)), ci_low = attr(ciprop, "ci")[1],
                  ci_high = attr(ciprop, "ci")[2], df = degf(inside))
    y <- item[members] %in% codes(cell$count_codes)
    if (all(y) || !any(y)) {
      mean <- svymean(as.formula(sprintf("~as.numeric(%s)", counted)), inside)
      found$mean <- as.numeric(coef(mean))
    } else {
      fit <- svyglm(as.formula(sprintf("I(%s) ~ 1", counted)), inside, family = quasibinomial,
                    control = CONVERGED)
      half <- if (found$df > 0) qt(0.975, found$df) * as.numeric(SE(fit)) else NaN
      found$fit_value <- plogis(coef(fit)[[1]])
      found$fit_low <- plogis(coef(fit)[[1]] - half)
      found$fit_high <- plogis(coef(fit)[[1]] + half)
    }
    found
  }, error = function(e) failed(conditionMessage(e)))
}

rows <- vector("list", nrow(cells))
for (k in seq_len(nrow(cases))) {
  case <- cases[k, ]
  made <- tryCatch(design_of(case), error = function(e) e)
  for (j in which(cells$case == case$case)) {
    cell <- cells[j, ]
    found <- if (inherits(made, "error")) {
      failed(conditionMessage(made))
    } else {
      estimate_cell(made$design, made$data, cell)
    }
    texts <- vapply(COLUMNS, function(name) {
      x <- found[[name]]
      if (is.null(x)) "" else if (is.character(x)) x else if (name %in% c("respondents", "df"))
        as.character(x) else exact(x)
    }, "")
    rows[[j]] <- c(case$case, cell$population_id, cell$breakdown_id, cell$breakdown_value,
                   cell$indicator_id, texts)
  }
}
results <- do.call(rbind, rows)
colnames(results) <- c("case", "population_id", "breakdown_id", "breakdown_value",
                       "indicator_id", COLUMNS)
write.csv(results, file.path(folder, "results.csv"), row.names = FALSE)
write.csv(
  data.frame(r = R.version.string, survey = as.character(packageVersion("survey"))),
  file.path(folder, "versions.csv"), row.names = FALSE
)
