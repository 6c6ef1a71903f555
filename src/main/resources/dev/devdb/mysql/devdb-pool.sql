-- The pool of fresh databases. devdb runs this as root, in a session whose backslashes escape, when
-- it sets a pool up, with these replaced: @SIZE@ (how many databases to keep ready), @GRANTEE@ (the
-- application account as a string literal), @ACCOUNT@ (the same account as GRANT takes it),
-- @SOURCE@ (the seed database copied), @PREFIX@ (the start of the names made), and, where the server
-- has SKIP LOCKED, @SKIP_LOCKED@ (those words, else nothing) and @CLAIM_SIDE_BY_SIDE@ (TRUE, else
-- FALSE). Running it again keeps the databases already made and handed out.
--
-- _devdb_pool.pool lists every database the pool made: 'filling' while a refiller (devdb-pool.sh)
-- copies into it, 'ready' when complete, 'taken' once handed out, 'dropping' once given back, until a
-- refiller has dropped it. Only root reads or changes it: the
-- application account may call new_database() and drop_database(), which run as root (SQL SECURITY
-- DEFINER), and nothing else here. The database's name starts with _devdb, as every database devdb
-- keeps for itself: a reset inside the server leaves it alone.
CREATE DATABASE IF NOT EXISTS _devdb_pool;
CREATE TABLE IF NOT EXISTS _devdb_pool.pool (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  state ENUM('filling', 'ready', 'taken', 'dropping') NOT NULL,
  worker INT NULL,
  made TIMESTAMP(3) NULL,
  taken TIMESTAMP(3) NULL,
  KEY state (state, made)
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS _devdb_pool.settings (
  id TINYINT NOT NULL PRIMARY KEY,
  size INT NOT NULL,
  grantee VARCHAR(400) NOT NULL,
  source VARCHAR(64) NOT NULL,
  prefix VARCHAR(64) NOT NULL
) ENGINE=InnoDB;
REPLACE INTO _devdb_pool.settings (id, size, grantee, source, prefix) VALUES (1, @SIZE@, @GRANTEE@, @SOURCE@, @PREFIX@);
-- How many databases the refillers keep ready beyond the pool's size, and until when (see refill_wait):
-- hand-outs came in bursts. (An older set-up kept only the end, in a table `surge`.)
DROP TABLE IF EXISTS _devdb_pool.surge;
CREATE TABLE IF NOT EXISTS _devdb_pool.ahead (
  id TINYINT NOT NULL PRIMARY KEY,
  wanted INT NOT NULL,
  ends TIMESTAMP(3) NOT NULL
) ENGINE=InnoDB;

DROP PROCEDURE IF EXISTS _devdb_pool.run;
DROP PROCEDURE IF EXISTS _devdb_pool.account;
DROP PROCEDURE IF EXISTS _devdb_pool.claim;
DROP PROCEDURE IF EXISTS _devdb_pool.take;
DROP PROCEDURE IF EXISTS _devdb_pool.new_database;
DROP PROCEDURE IF EXISTS _devdb_pool.drop_database;
DROP PROCEDURE IF EXISTS _devdb_pool.heal;
DROP PROCEDURE IF EXISTS _devdb_pool.refill_wait;
DROP PROCEDURE IF EXISTS _devdb_pool.refill_begin;
DROP PROCEDURE IF EXISTS _devdb_pool.refill_ready;
DROP PROCEDURE IF EXISTS _devdb_pool.refill_discard;
DROP PROCEDURE IF EXISTS _devdb_pool.refill_drop;
DELIMITER ;;

-- Parameters start with p_, local variables with v_: one named like a column (db, say) would take
-- the column's place in every query of its procedure.

-- Runs one statement built from names.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.run(IN p_statement TEXT)
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  SET @devdb_pool_sql = p_statement;
  PREPARE devdb_pool_statement FROM @devdb_pool_sql;
  EXECUTE devdb_pool_statement;
  DEALLOCATE PREPARE devdb_pool_statement;
  SET @devdb_pool_sql = NULL;
END;;

-- GRANT or REVOKE ALL on one database for the application account, with the name's _ and % escaped:
-- the grant is for that database only. Revoking a grant that is gone is no error.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.account(IN p_verb VARCHAR(6), IN p_db VARCHAR(64))
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  DECLARE CONTINUE HANDLER FOR 1141 BEGIN END;
  CALL _devdb_pool.run(CONCAT(p_verb, ' ALL ON `',
      REPLACE(REPLACE(REPLACE(REPLACE(p_db, '\\', '\\\\'), '`', '``'), '_', '\\_'), '%', '\\%'), '`.* ',
      IF(p_verb = 'GRANT', 'TO ', 'FROM '), (SELECT grantee FROM _devdb_pool.settings WHERE id = 1)));
END;;

-- Claims the oldest ready database for the caller's transaction: its row stays locked until the caller
-- commits, and NULL when none is ready. With SKIP LOCKED (where the server has it) callers at once
-- claim different databases without waiting for each other.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.claim(OUT p_db VARCHAR(64))
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET p_db = NULL;
  SET p_db = NULL;
  SELECT name INTO p_db FROM _devdb_pool.pool WHERE state = 'ready' ORDER BY made LIMIT 1 FOR UPDATE @SKIP_LOCKED@;
END;;

-- Hands out a claimed database: marks it taken and commits, true; or, when it was dropped behind the
-- pool's back (a reset drops every database the seeds did not make), forgets it and commits, false.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.take(IN p_db VARCHAR(64), OUT p_taken INT)
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  SET p_taken = EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = p_db);
  IF p_taken THEN
    UPDATE _devdb_pool.pool SET state = 'taken', taken = CURRENT_TIMESTAMP(3) WHERE name = p_db;
  ELSE
    CALL _devdb_pool.account('REVOKE', p_db);
    DELETE FROM _devdb_pool.pool WHERE name = p_db;
  END IF;
  COMMIT;
END;;

-- Hands out a ready database: marks it taken and returns its name (one row, one column `name`). The
-- application account was granted ALL on it when the copy was made, so handing out changes no
-- privilege. Callers take ready databases side by side, each committing its own (the server syncs
-- their commits together); when none is ready they queue on a lock, first come first served, and the
-- first waits up to 30 seconds for the refillers. It commits the caller's transaction.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.new_database()
SQL SECURITY DEFINER MODIFIES SQL DATA
body: BEGIN
  DECLARE v_db VARCHAR(64) DEFAULT NULL;
  DECLARE v_taken INT DEFAULT 0;
  DECLARE v_tries INT DEFAULT 0;
  COMMIT;
  -- without the lock while nobody waits for one (a caller that waits holds it: newcomers queue behind it)
  IF @CLAIM_SIDE_BY_SIDE@ THEN
    side_by_side: LOOP
      IF IS_FREE_LOCK('_devdb_pool') IS NOT TRUE THEN
        LEAVE side_by_side;
      END IF;
      START TRANSACTION;
      CALL _devdb_pool.claim(v_db);
      IF v_db IS NULL THEN
        COMMIT;
        LEAVE side_by_side;
      END IF;
      CALL _devdb_pool.take(v_db, v_taken);
      IF v_taken THEN
        SELECT v_db AS name;
        LEAVE body;
      END IF;
    END LOOP;
  END IF;
  IF GET_LOCK('_devdb_pool', 60) IS NOT TRUE THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'devdb pool: another session held the pool for 60 seconds';
  END IF;
  claim: LOOP
    -- a fresh snapshot each time, also for a caller with autocommit off
    COMMIT;
    START TRANSACTION;
    CALL _devdb_pool.claim(v_db);
    IF v_db IS NOT NULL THEN
      CALL _devdb_pool.take(v_db, v_taken);
      IF v_taken THEN
        LEAVE claim;
      END IF;
    ELSE
      COMMIT;
      IF v_tries >= 6000 THEN
        DO RELEASE_LOCK('_devdb_pool');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT
            = 'devdb pool: no database ready within 30 seconds; `devdb db new` starts the refillers again';
      END IF;
      DO SLEEP(0.005);
      SET v_tries = v_tries + 1;
    END IF;
  END LOOP;
  DO RELEASE_LOCK('_devdb_pool');
  SELECT v_db AS name;
END;;

-- Gives back a database the pool handed out: the application account's grant on it goes at once,
-- the database itself soon after (a refiller drops it, so the caller does not wait for that). Any
-- other name is refused: the pool drops nothing it did not make.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.drop_database(IN p_db VARCHAR(64))
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  IF p_db IS NULL OR NOT EXISTS (SELECT 1 FROM _devdb_pool.pool WHERE name = p_db AND state = 'taken') THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'devdb pool: not a database the pool handed out';
  END IF;
  CALL _devdb_pool.account('REVOKE', p_db);
  UPDATE _devdb_pool.pool SET state = 'dropping', worker = NULL WHERE name = p_db AND state = 'taken';
  COMMIT;
END;;

-- For a refiller: drops a database given back.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.refill_drop(IN p_db VARCHAR(64))
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  IF EXISTS (SELECT 1 FROM _devdb_pool.pool WHERE name = p_db AND state = 'dropping') THEN
    CALL _devdb_pool.account('REVOKE', p_db);
    CALL _devdb_pool.run(CONCAT('DROP DATABASE IF EXISTS `', REPLACE(p_db, '`', '``'), '`'));
    DELETE FROM _devdb_pool.pool WHERE name = p_db;
  END IF;
END;;

-- Forgets databases dropped behind the pool's back (their grants with them), and gives the
-- application account back its EXECUTE on the two procedures when something took it away.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.heal()
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  DECLARE v_done INT DEFAULT 0;
  DECLARE v_db VARCHAR(64);
  DECLARE gone CURSOR FOR SELECT p.name FROM _devdb_pool.pool p
      LEFT JOIN information_schema.SCHEMATA s ON s.SCHEMA_NAME = p.name
      WHERE p.state <> 'filling' AND s.SCHEMA_NAME IS NULL;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_done = 1;
  OPEN gone;
  forget: LOOP
    FETCH gone INTO v_db;
    IF v_done THEN
      LEAVE forget;
    END IF;
    CALL _devdb_pool.account('REVOKE', v_db);
    DELETE FROM _devdb_pool.pool WHERE name = v_db;
  END LOOP;
  CLOSE gone;
  IF (SELECT COUNT(*) FROM mysql.procs_priv pp WHERE pp.Db = '_devdb_pool'
      AND pp.Routine_name IN ('new_database', 'drop_database')) < 2 THEN
    CALL _devdb_pool.run(CONCAT('GRANT EXECUTE ON PROCEDURE _devdb_pool.new_database TO ',
        (SELECT grantee FROM _devdb_pool.settings WHERE id = 1)));
    CALL _devdb_pool.run(CONCAT('GRANT EXECUTE ON PROCEDURE _devdb_pool.drop_database TO ',
        (SELECT grantee FROM _devdb_pool.settings WHERE id = 1)));
  END IF;
  COMMIT;
END;;

-- For refiller number `worker`, between two jobs: returns 'fill NAME' as soon as fewer databases
-- than the pool's size are ready or being made (NAME recorded as filling, for this worker to copy
-- into), else 'drop NAME' for a database given back (claimed for this worker: two never drop the
-- same), else 'idle' after a second of neither (healing the pool first), and 'stop' when the pool was
-- taken down. Given back databases wait while the pool fills: copies first, for the callers waiting
-- for one (a drop takes the server about half a copy's time). Only when eight times the pool's size of
-- them wait does worker 1 drop them while the others fill; worker 2 joins it from twelve times, worker
-- 3 from sixteen, and so on, so that a pool that cannot keep up with its callers keeps up with them
-- giving back.
-- Hand-outs in bursts (half the pool's size or more handed out within 2 seconds) make the pool keep
-- ready twice its size, or as many as were handed out within 2 seconds when that is more (at most eight
-- times its size and 64, never less than its size), for the next 60 seconds; each such burst extends that, and the most any
-- of them asked for stays wanted until 60 seconds pass without one. The copies made ahead serve the
-- callers of the next wave (the next tests of a parallel suite, the next run of the suite) while the
-- refillers catch up. Copies beyond the size stay ready until handed out.
-- The settings' row, locked, lets one worker at a time decide, so that two never make one copy too
-- many. Each worker number runs once at a time, so a database it still has 'filling' now was left by
-- one that died (and one it claimed to drop, it drops now).
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.refill_wait(IN p_worker INT)
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  DECLARE v_until DATETIME(6) DEFAULT SYSDATE(6) + INTERVAL 1 SECOND;
  DECLARE v_wanted INT DEFAULT NULL;
  DECLARE v_size INT;
  DECLARE v_recent INT;
  DECLARE v_ahead INT;
  DECLARE v_fresh INT;
  DECLARE v_prefix VARCHAR(64);
  DECLARE v_have INT;
  DECLARE v_dropping INT;
  DECLARE v_db VARCHAR(64);
  DECLARE v_rows VARCHAR(40);
  DECLARE v_seen VARCHAR(40) DEFAULT '';
  SET v_db = (SELECT name FROM _devdb_pool.pool WHERE state = 'filling' AND worker = p_worker LIMIT 1);
  WHILE v_db IS NOT NULL DO
    CALL _devdb_pool.refill_discard(v_db);
    SET v_db = (SELECT name FROM _devdb_pool.pool WHERE state = 'filling' AND worker = p_worker LIMIT 1);
  END WHILE;
  refill: LOOP
    COMMIT;
    -- The cheapest look first, a count of the pool's rows and its size: a worker that looked closer and
    -- found nothing to do looks again only once the pool changed (hand-outs, give-backs, the other
    -- workers' copies, a new size). The closer look costs the server five times as much.
    SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(state = 'dropping'), 0), '/',
        COALESCE((SELECT size FROM _devdb_pool.settings WHERE id = 1), 0)) INTO v_rows
      FROM _devdb_pool.pool WHERE state <> 'taken';
    IF v_rows <> v_seen THEN
      IF v_seen <> '' THEN
        SET @devdb_pool_changed = SYSDATE(6);
      END IF;
      SET v_seen = v_rows;
      -- The closer look, still without locks. The pool's rows are read by SELECT ... INTO, a consistent
      -- read: read by SET or IF (a locking read, in a procedure) they would deadlock against
      -- new_database() and drop_database().
      SELECT (SELECT size FROM _devdb_pool.settings WHERE id = 1),
          (SELECT GREATEST(s.size, COALESCE((SELECT LEAST(a.wanted, 64) FROM _devdb_pool.ahead a
              WHERE a.id = 1 AND a.ends > CURRENT_TIMESTAMP(3)), 0)) FROM _devdb_pool.settings s WHERE s.id = 1),
          (SELECT COUNT(*) FROM _devdb_pool.pool WHERE state IN ('filling', 'ready')),
          (SELECT COUNT(*) FROM _devdb_pool.pool WHERE state = 'dropping'),
          (SELECT name FROM _devdb_pool.pool WHERE state = 'dropping' AND (worker IS NULL OR worker = p_worker)
              ORDER BY taken LIMIT 1)
        INTO v_size, v_wanted, v_have, v_dropping, v_db;
      IF v_wanted IS NULL OR v_wanted <= 0 OR v_have < v_wanted
          OR (v_db IS NOT NULL AND (v_have >= v_wanted OR (v_dropping >= (4 + 4 * p_worker) * v_size))) THEN
        START TRANSACTION;
        SELECT size, prefix INTO v_size, v_prefix FROM _devdb_pool.settings WHERE id = 1 FOR UPDATE;
        IF v_size IS NULL OR v_size <= 0 THEN
          COMMIT;
          SELECT 'stop';
          LEAVE refill;
        END IF;
        -- as of now, the lock held: what the worker that held it before made is counted
        SELECT (SELECT COUNT(*) FROM _devdb_pool.pool WHERE state IN ('filling', 'ready')),
            (SELECT COUNT(*) FROM _devdb_pool.pool WHERE state = 'dropping'),
            (SELECT COUNT(*) FROM _devdb_pool.pool
                WHERE taken > CURRENT_TIMESTAMP(3) - INTERVAL 2 SECOND AND state IN ('taken', 'dropping'))
          INTO v_have, v_dropping, v_recent;
        -- a burst: keep ready twice the size, or as many as were handed out within those 2 seconds when
        -- more (at most eight times the size), for the next 60 seconds (written at most every 10 seconds
        -- while that does not grow: the row is in every decision's transaction)
        SELECT COALESCE((SELECT wanted FROM _devdb_pool.ahead WHERE id = 1 AND ends > CURRENT_TIMESTAMP(3)), 0),
            COALESCE((SELECT ends > CURRENT_TIMESTAMP(3) + INTERVAL 50 SECOND FROM _devdb_pool.ahead WHERE id = 1), 0)
          INTO v_ahead, v_fresh;
        IF v_recent * 2 >= v_size AND (v_fresh = 0 OR v_ahead < LEAST(GREATEST(2 * v_size, v_recent), 8 * v_size, 64)) THEN
          SET v_ahead = GREATEST(v_ahead, LEAST(GREATEST(2 * v_size, v_recent), 8 * v_size, 64));
          INSERT INTO _devdb_pool.ahead (id, wanted, ends) VALUES (1, v_ahead, CURRENT_TIMESTAMP(3) + INTERVAL 60 SECOND)
              ON DUPLICATE KEY UPDATE wanted = v_ahead, ends = CURRENT_TIMESTAMP(3) + INTERVAL 60 SECOND;
        END IF;
        SET v_wanted = GREATEST(v_size, v_ahead);
        IF v_db IS NOT NULL AND (v_have >= v_wanted OR (v_dropping >= (4 + 4 * p_worker) * v_size)) THEN
          UPDATE _devdb_pool.pool SET worker = p_worker
              WHERE name = v_db AND state = 'dropping' AND (worker IS NULL OR worker = p_worker);
          IF ROW_COUNT() = 1 THEN
            COMMIT;
            SET @devdb_pool_changed = SYSDATE(6);
            SELECT CONCAT('drop ', v_db);
            LEAVE refill;
          END IF;
        END IF;
        IF v_have < v_wanted THEN
          -- a name no database has (nor will: the row keeps it while the copy is made)
          naming: LOOP
            SET v_db = CONCAT(v_prefix, LEFT(SHA2(CONCAT(UUID(), RAND(), CONNECTION_ID()), 256), 12));
            IF NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = v_db)
                AND NOT EXISTS (SELECT 1 FROM _devdb_pool.pool WHERE name = v_db) THEN
              LEAVE naming;
            END IF;
          END LOOP;
          INSERT INTO _devdb_pool.pool (name, state, worker) VALUES (v_db, 'filling', p_worker);
          COMMIT;
          SET @devdb_pool_changed = SYSDATE(6);
          SELECT CONCAT('fill ', v_db);
          LEAVE refill;
        END IF;
        COMMIT;
      END IF;
    END IF;
    IF SYSDATE(6) >= v_until THEN
      CALL _devdb_pool.heal();
      SELECT 'idle';
      LEAVE refill;
    END IF;
    -- Worker 1 looks every 10 ms, the others every 50; after a second in which the pool did not change
    -- (the session remembers when it last did, from one call to the next), every 50 and 250 ms: a pool
    -- with nothing to do costs the server little, and worker 1 still starts a copy within 50 ms of a
    -- hand-out.
    DO SLEEP(IF(SYSDATE(6) < @devdb_pool_changed + INTERVAL 1 SECOND, IF(p_worker = 1, 0.01, 0.05),
        IF(p_worker = 1, 0.05, 0.25)));
  END LOOP;
END;;

-- For a refiller, once the copy is complete.
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.refill_ready(IN p_db VARCHAR(64))
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  CALL _devdb_pool.account('GRANT', p_db);
  UPDATE _devdb_pool.pool SET state = 'ready', made = CURRENT_TIMESTAMP(3) WHERE name = p_db AND state = 'filling';
END;;

-- For a refiller, when a copy failed: removes what it made of it (the grant too: refill_ready may
-- have failed after it).
CREATE DEFINER = 'root'@'localhost' PROCEDURE _devdb_pool.refill_discard(IN p_db VARCHAR(64))
SQL SECURITY DEFINER MODIFIES SQL DATA
BEGIN
  IF EXISTS (SELECT 1 FROM _devdb_pool.pool WHERE name = p_db AND state = 'filling') THEN
    CALL _devdb_pool.account('REVOKE', p_db);
    CALL _devdb_pool.run(CONCAT('DROP DATABASE IF EXISTS `', REPLACE(p_db, '`', '``'), '`'));
    DELETE FROM _devdb_pool.pool WHERE name = p_db;
  END IF;
END;;

DELIMITER ;
GRANT EXECUTE ON PROCEDURE _devdb_pool.new_database TO @ACCOUNT@;
GRANT EXECUTE ON PROCEDURE _devdb_pool.drop_database TO @ACCOUNT@;
