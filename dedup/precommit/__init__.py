"""precommit"""
