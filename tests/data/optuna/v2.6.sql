-- An Optuna RDB storage at schema revision v2.6.0.a, written by hand for
-- rung's tests from Optuna's alembic migrations v0.9.0.a to v2.6.0.a:
-- study_directions and objectives (v2.4.0.a), no value type columns, the
-- distributions of Optuna 2 (UniformDistribution and the like), and the
-- float32 limits Optuna 2 stored for infinite values.
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE version_info (
	version_info_id INTEGER NOT NULL,
	schema_version INTEGER,
	library_version VARCHAR(256),
	PRIMARY KEY (version_info_id),
	CHECK (version_info_id=1)
);
CREATE TABLE study_directions (
	study_direction_id INTEGER NOT NULL,
	direction VARCHAR(8) NOT NULL,
	study_id INTEGER NOT NULL,
	objective INTEGER NOT NULL,
	PRIMARY KEY (study_direction_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id),
	UNIQUE (study_id, objective)
);
CREATE TABLE trial_intermediate_values (
	trial_intermediate_value_id INTEGER NOT NULL,
	trial_id INTEGER NOT NULL,
	step INTEGER NOT NULL,
	intermediate_value FLOAT NOT NULL,
	PRIMARY KEY (trial_intermediate_value_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id),
	UNIQUE (trial_id, step)
);
CREATE TABLE IF NOT EXISTS "studies" (
	study_id INTEGER NOT NULL,
	study_name VARCHAR(512) NOT NULL,
	PRIMARY KEY (study_id)
);
CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name);
CREATE TABLE IF NOT EXISTS "trial_values" (
	trial_value_id INTEGER NOT NULL,
	trial_id INTEGER,
	value FLOAT,
	objective INTEGER NOT NULL,
	PRIMARY KEY (trial_value_id),
	CONSTRAINT uq_trial_values_trial_id_objective UNIQUE (trial_id, objective),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS "trials" (
	trial_id INTEGER NOT NULL,
	study_id INTEGER,
	state VARCHAR(8) NOT NULL,
	datetime_start DATETIME,
	datetime_complete DATETIME,
	number INTEGER,
	PRIMARY KEY (trial_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE IF NOT EXISTS "study_user_attributes" (
	study_user_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (study_user_attribute_id),
	UNIQUE (study_id, "key"),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE IF NOT EXISTS "study_system_attributes" (
	study_system_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (study_system_attribute_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id),
	UNIQUE (study_id, "key")
);
CREATE TABLE IF NOT EXISTS "trial_user_attributes" (
	trial_user_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (trial_user_attribute_id),
	UNIQUE (trial_id, "key"),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS "trial_system_attributes" (
	trial_system_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (trial_system_attribute_id),
	UNIQUE (trial_id, "key"),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS "trial_params" (
	param_id INTEGER NOT NULL,
	trial_id INTEGER,
	param_name VARCHAR(512),
	param_value FLOAT,
	distribution_json TEXT,
	PRIMARY KEY (param_id),
	UNIQUE (trial_id, param_name),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);

INSERT INTO alembic_version VALUES ('v2.6.0.a');
INSERT INTO version_info VALUES (1, 12, '2.6.0');
INSERT INTO studies VALUES (1, 'legacy');
INSERT INTO studies VALUES (2, 'legacy-multi');
INSERT INTO study_directions VALUES (1, 'MINIMIZE', 1, 0);
INSERT INTO study_directions VALUES (2, 'MAXIMIZE', 2, 0);
INSERT INTO study_directions VALUES (3, 'MINIMIZE', 2, 1);

-- The two studies' trials interleave in trial_id.
INSERT INTO trials VALUES (1, 1, 'COMPLETE', '2021-03-01 12:00:00.000000', '2021-03-01 12:00:03.000000', 0);
INSERT INTO trials VALUES (2, 1, 'PRUNED', '2021-03-01 12:00:04.000000', '2021-03-01 12:00:05.000000', 1);
INSERT INTO trials VALUES (3, 2, 'COMPLETE', '2021-03-01 12:00:06.000000', '2021-03-01 12:00:07.000000', 0);
INSERT INTO trials VALUES (4, 1, 'COMPLETE', '2021-03-01 12:00:08.000000', '2021-03-01 12:00:09.000000', 2);
INSERT INTO trials VALUES (5, 1, 'FAIL', '2021-03-01 12:00:10.000000', '2021-03-01 12:00:11.000000', 3);
INSERT INTO trials VALUES (6, 2, 'COMPLETE', '2021-03-01 12:00:12.000000', '2021-03-01 12:00:13.000000', 1);
INSERT INTO trials VALUES (7, 1, 'RUNNING', '2021-03-01 12:00:14.000000', NULL, 4);

INSERT INTO trial_params VALUES (1, 1, 'x', 0.25, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');
INSERT INTO trial_params VALUES (2, 1, 'lr', 0.001, '{"name": "LogUniformDistribution", "attributes": {"low": 0.0001, "high": 1.0}}');
INSERT INTO trial_params VALUES (3, 1, 'q', 0.75, '{"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 1.0, "q": 0.25}}');
INSERT INTO trial_params VALUES (4, 1, 'n', 3.0, '{"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 10, "step": 1}}');
INSERT INTO trial_params VALUES (5, 1, 'm', 10.0, '{"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 100, "step": 1}}');
INSERT INTO trial_params VALUES (6, 1, 'c', 2.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["a", 2, null, 1.5, false]}}');
INSERT INTO trial_params VALUES (7, 2, 'x', -0.5, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');
INSERT INTO trial_params VALUES (8, 2, 'c', 3.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["a", 2, null, 1.5, false]}}');
INSERT INTO trial_params VALUES (9, 4, 'x', 1e-05, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');
INSERT INTO trial_params VALUES (10, 4, 'c', 4.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["a", 2, null, 1.5, false]}}');
INSERT INTO trial_params VALUES (11, 5, 'c', 1.0, '{"name": "CategoricalDistribution", "attributes": {"choices": ["a", 2, null, 1.5, false]}}');
INSERT INTO trial_params VALUES (12, 3, 'x', 0.5, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');
INSERT INTO trial_params VALUES (13, 6, 'x', -0.125, '{"name": "UniformDistribution", "attributes": {"low": -1.0, "high": 1.0}}');

-- 3.4028234663852886e+38 is float32's largest: Optuna 2's infinity.
INSERT INTO trial_values VALUES (1, 1, 0.5, 0);
INSERT INTO trial_values VALUES (2, 2, 0.9, 0);
INSERT INTO trial_values VALUES (3, 3, 1.5, 0);
INSERT INTO trial_values VALUES (4, 3, 2.5, 1);
INSERT INTO trial_values VALUES (5, 4, 3.4028234663852886e+38, 0);
INSERT INTO trial_values VALUES (6, 6, -1.0, 0);
INSERT INTO trial_values VALUES (7, 6, 0.001, 1);

INSERT INTO trial_intermediate_values VALUES (1, 1, 0, 1.0);
INSERT INTO trial_intermediate_values VALUES (2, 1, 1, 0.7);
INSERT INTO trial_intermediate_values VALUES (3, 1, 2, 0.5);
INSERT INTO trial_intermediate_values VALUES (4, 2, 0, -3.4028234663852886e+38);
INSERT INTO trial_intermediate_values VALUES (5, 2, 1, 0.9);
INSERT INTO trial_intermediate_values VALUES (6, 7, 0, 2e+16);
