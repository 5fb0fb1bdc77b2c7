package dev.clickstream.testsupport.chdb;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The part of chDB's C API (chdb.h of chdb 3.x) the tests use. {@code chdb_connect} returns a
 * {@code chdb_connection*}; the queries take the {@code chdb_connection} it points to. size_t is 64 bits on the
 * only platform libchdb.so is installed for (linux x86_64), so it maps to a Java long.
 */
interface LibChdb extends Library {
    Pointer chdb_connect(int argc, String[] argv);

    void chdb_close_conn(Pointer connection);

    Pointer chdb_query_n(Pointer connection, byte[] query, long queryLength, byte[] format, long formatLength);

    Pointer chdb_result_buffer(Pointer result);

    long chdb_result_length(Pointer result);

    String chdb_result_error(Pointer result);

    void chdb_destroy_query_result(Pointer result);
}
