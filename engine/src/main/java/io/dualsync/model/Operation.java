package io.dualsync.model;

/** What happened to a record. */
public enum Operation { CREATE, UPDATE, DELETE }
